package io.github.perfkit.alerts.internal;

import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.Notifier;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to one notifier on its own daemon thread: a bounded queue (oldest dropped
 * when full, counted), attempts capped, exponential backoff with full jitter between attempts.
 * Thread-safe: {@link #offer} may be called from any thread; it never blocks.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Notifier notifier;
    private final LinkedBlockingDeque<AlertNotification> queue;
    private final int maxAttempts;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param notifier the notifier
     * @param capacity queue capacity
     * @param maxAttempts attempts per notification
     * @param initialBackoff first backoff
     * @param maxBackoff backoff cap
     */
    public Dispatcher(Notifier notifier, int capacity, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this.notifier = notifier;
        this.queue = new LinkedBlockingDeque<>(capacity);
        this.maxAttempts = maxAttempts;
        this.initialBackoffNanos = initialBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.thread = new Thread(this::run, "perfkit-alerts-notify-" + notifier.name());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** @return the notifier */
    public Notifier notifier() {
        return notifier;
    }

    /**
     * Queues a notification, dropping the oldest queued one if full.
     *
     * @param n the notification
     */
    public void offer(AlertNotification n) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        while (!queue.offerLast(n)) {
            if (queue.pollFirst() != null) {
                dropped.incrementAndGet();
            }
        }
    }

    private void run() {
        while (!closed) {
            AlertNotification n;
            try {
                n = queue.takeFirst();
            } catch (InterruptedException e) {
                return;
            }
            deliver(n);
        }
    }

    private void deliver(AlertNotification n) {
        for (int attempt = 1; attempt <= maxAttempts && !closed; attempt++) {
            try {
                notifier.send(n);
                sent.incrementAndGet();
                return;
            } catch (Exception | LinkageError e) {
                // any failure of a notifier is contained here: counted, logged, retried
                if (attempt == maxAttempts) {
                    failed.incrementAndGet();
                    LOG.warn("notifier {} gave up after {} attempts: {}", notifier.name(), attempt, e.toString());
                    return;
                }
                retries.incrementAndGet();
                LOG.debug("notifier {} attempt {} failed: {}", notifier.name(), attempt, e.toString());
                long cap = Math.min(maxBackoffNanos, initialBackoffNanos << Math.min(attempt - 1, 30));
                long sleep = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** @return notifications delivered */
    public long sent() {
        return sent.get();
    }

    /** @return notifications given up */
    public long failed() {
        return failed.get();
    }

    /** @return notifications dropped from the full queue */
    public long dropped() {
        return dropped.get();
    }

    /** @return retried attempts */
    public long retries() {
        return retries.get();
    }

    /** @return queued notifications */
    public int queued() {
        return queue.size();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
