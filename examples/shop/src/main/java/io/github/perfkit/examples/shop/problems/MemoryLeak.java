package io.github.perfkit.examples.shop.problems;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory leak: a "recently viewed" map that gains a 32 KB entry per product view and is never trimmed. Capped
 * at {@link #CAP_BYTES} (200 MB) or a quarter of the maximum heap, whichever is smaller; emptied when the problem is
 * switched off.
 *
 * <p>Thread-safe.
 */
public final class MemoryLeak {

    /** Most bytes the leak holds: 200 MB (less when the heap is small). */
    public static final long CAP_BYTES = 200L * 1024 * 1024;
    /** Bytes kept per view. */
    public static final int ENTRY_BYTES = 32 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MemoryLeak.class);

    private final Map<Long, byte[]> recentlyViewed = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final AtomicBoolean capLogged = new AtomicBoolean();
    private final long cap;

    /**
     * A leak that switches itself off with the problem.
     *
     * @param switches the problem switches
     */
    public MemoryLeak(ProblemSwitches switches) {
        this.cap = Math.min(CAP_BYTES, Runtime.getRuntime().maxMemory() / 4);
        Objects.requireNonNull(switches, "switches").onSwitchedOff(p -> {
            if (p == Problem.MEMORY_LEAK) {
                release();
            }
        });
    }

    /**
     * Remembers a product view (the leak).
     *
     * @param productId the product viewed
     */
    public void remember(long productId) {
        if (held.get() + ENTRY_BYTES > cap) {
            if (capLogged.compareAndSet(false, true)) {
                LOG.warn("Shop memory leak reached its cap of {} MB; it stops growing", cap / (1024 * 1024));
            }
            return;
        }
        byte[] payload = new byte[ENTRY_BYTES];
        payload[0] = (byte) productId;
        recentlyViewed.put(sequence.incrementAndGet(), payload);
        held.addAndGet(ENTRY_BYTES);
    }

    /** @return bytes held by the leak now */
    public long heldBytes() {
        return held.get();
    }

    /** @return the cap in bytes */
    public long capBytes() {
        return cap;
    }

    /** Lets go of everything the leak holds. */
    public void release() {
        recentlyViewed.clear();
        held.set(0);
        capLogged.set(false);
        LOG.info("Shop memory leak released");
    }
}
