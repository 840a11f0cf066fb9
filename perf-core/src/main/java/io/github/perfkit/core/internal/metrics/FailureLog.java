package io.github.perfkit.core.internal.metrics;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts collection failures and logs the first failure of each section once (WARN), later ones at
 * DEBUG. Sections are a fixed, small set of literals, so the set of logged sections is bounded.
 * Thread-safe.
 */
public final class FailureLog {

    private final Logger log;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param log the logger of the collector that owns this log
     */
    public FailureLog(Logger log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Records one failure of a section.
     *
     * @param section a constant name of what failed (e.g. {@code "cpu"})
     * @param failure what was thrown
     */
    public void failed(String section, Throwable failure) {
        failures.incrementAndGet();
        if (logged.add(section)) {
            log.warn("Perfkit could not collect '{}' (keeping the previous value; further failures are logged at"
                    + " DEBUG): {}", section, failure.toString(), failure);
        } else if (log.isDebugEnabled()) {
            log.debug("Perfkit could not collect '{}': {}", section, failure.toString());
        }
    }

    /** @return number of failures so far */
    public long failures() {
        return failures.get();
    }
}
