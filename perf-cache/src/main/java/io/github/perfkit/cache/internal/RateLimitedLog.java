package io.github.perfkit.cache.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a warning at most once per interval and says how many were suppressed in between.
 * Thread-safe.
 */
public final class RateLimitedLog {

    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger log;
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /** @param log the owner's logger */
    public RateLimitedLog(Logger log) {
        this.log = log;
    }

    /**
     * @param message the message
     * @param cause the failure
     */
    public void warn(String message, Throwable cause) {
        long now = System.nanoTime();
        long next = nextAt.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAt.compareAndSet(next, now + INTERVAL_NANOS)) {
            long n = suppressed.getAndSet(0);
            log.warn("{} ({}){}", message, cause.toString(), n > 0 ? " [" + n + " similar suppressed]" : "");
        } else {
            suppressed.incrementAndGet();
        }
    }
}
