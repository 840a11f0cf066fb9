package io.github.perfkit.examples.shop.problems;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread leak: every order tracking request starts a "tracker" thread that waits forever. Capped at
 * {@link #CAP} threads; every leaked thread ends when the problem is switched off or the shop stops. The threads
 * are daemons, so they never keep the JVM alive.
 *
 * <p>Thread-safe.
 */
public final class ThreadLeak implements AutoCloseable {

    /** Most leaked threads alive at once. */
    public static final int CAP = 500;
    /** Prefix of the leaked threads' names. */
    public static final String THREAD_PREFIX = "shop-order-tracker-";

    private static final Logger LOG = LoggerFactory.getLogger(ThreadLeak.class);

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicBoolean capLogged = new AtomicBoolean();

    /**
     * A leak that ends its threads when the problem is switched off.
     *
     * @param switches the problem switches
     */
    public ThreadLeak(ProblemSwitches switches) {
        Objects.requireNonNull(switches, "switches").onSwitchedOff(p -> {
            if (p == Problem.THREAD_LEAK) {
                close();
            }
        });
    }

    /**
     * Starts a tracker thread for an order that never finishes (the leak).
     *
     * @param orderId the order
     */
    public void startTracker(long orderId) {
        if (threads.size() >= CAP) {
            if (capLogged.compareAndSet(false, true)) {
                LOG.warn("Shop thread leak reached its cap of {} threads; it stops growing", CAP);
            }
            return;
        }
        Thread t = new Thread(() -> trackForever(orderId), THREAD_PREFIX + counter.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void trackForever(long orderId) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(60_000); // "waits for the courier's update" that never comes
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            threads.remove(Thread.currentThread());
            LOG.trace("tracker of order {} ended", orderId);
        }
    }

    /** @return leaked threads alive now */
    public int alive() {
        return threads.size();
    }

    /** Ends every leaked thread. */
    @Override
    public void close() {
        int n = threads.size();
        threads.forEach(Thread::interrupt);
        capLogged.set(false);
        if (n > 0) {
            LOG.info("Shop thread leak: {} tracker threads interrupted", n);
        }
    }
}
