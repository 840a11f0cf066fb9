package io.github.perfkit.alerts.internal;

import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.Notifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to one notifier (one receiver) on its own daemon thread: a bounded queue (oldest
 * dropped when full, counted) and retry state per incident (alert id): a failed send does not block the
 * queue; each incident of it waits its own exponential backoff with jitter and is retried, grouped with
 * the other incidents due at that time, until it succeeds or reaches the attempt cap; a newer event of the
 * same incident replaces its pending retry; an incident this receiver delivered is never sent again. The
 * retry state is confined to the delivery thread (no lock) and bounded.
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
    private final AtomicLong retryAttempts = new AtomicLong();
    /** Retry state per incident (alert id); confined to the delivery thread, so no lock. */
    private final Map<String, Incident> retries = new LinkedHashMap<>();
    private final int maxIncidents;
    private volatile int pendingView;
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
        this.maxIncidents = Math.max(16, capacity * 10);
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
                long wait = nextDue() - System.nanoTime();
                n = retries.isEmpty() ? queue.takeFirst()
                        : wait <= 0 ? queue.pollFirst() : queue.pollFirst(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (n != null) {
                // a newer event of an incident replaces its pending retry (e.g. RESOLVED replaces FIRING)
                for (AlertEvent e : n.events()) {
                    retries.remove(e.id());
                }
                attempt(n.events(), n.at());
            }
            retryDue();
            pendingView = retries.size();
        }
    }

    /** Retry state of one incident. */
    private static final class Incident {
        AlertEvent event;
        int attempts;
        long dueNanos;

        Incident(AlertEvent event) {
            this.event = event;
        }
    }

    private long nextDue() {
        long due = Long.MAX_VALUE;
        for (Incident i : retries.values()) {
            due = Math.min(due, i.dueNanos);
        }
        return due;
    }

    private void retryDue() {
        if (retries.isEmpty() || closed) {
            return;
        }
        long now = System.nanoTime();
        List<AlertEvent> due = new ArrayList<>();
        for (Incident i : retries.values()) {
            if (i.dueNanos - now <= 0) {
                due.add(i.event);
            }
        }
        if (!due.isEmpty()) {
            retryAttempts.addAndGet(due.size());
            attempt(due, Instant.now());
        }
    }

    /** One send of some events; on failure each incident gets its own attempt count and backoff. */
    private void attempt(List<AlertEvent> events, Instant at) {
        try {
            notifier.send(new AlertNotification(events, at));
            sent.incrementAndGet();
            for (AlertEvent e : events) {
                retries.remove(e.id()); // a receiver that succeeded is not sent this incident again
            }
        } catch (Exception | LinkageError ex) {
            // any failure of a notifier is contained here: counted, logged, retried per incident
            long now = System.nanoTime();
            for (AlertEvent e : events) {
                Incident i = retries.get(e.id());
                if (i == null) {
                    i = new Incident(e);
                    retries.put(e.id(), i);
                }
                i.event = e;
                i.attempts++;
                if (i.attempts >= maxAttempts) {
                    retries.remove(e.id());
                    failed.incrementAndGet();
                    LOG.warn("notifier {} gave up on alert {} ({}) after {} attempts: {}", notifier.name(), e.id(),
                            e.rule(), i.attempts, ex.toString());
                    continue;
                }
                long cap = Math.min(maxBackoffNanos, initialBackoffNanos << Math.min(i.attempts - 1, 30));
                i.dueNanos = now + cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
            }
            LOG.debug("notifier {} failed: {}", notifier.name(), ex.toString());
            while (retries.size() > maxIncidents) {
                // bounded: the oldest pending incident is given up first
                Iterator<Incident> it = retries.values().iterator();
                it.next();
                it.remove();
                dropped.incrementAndGet();
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

    /** @return retried sends of incidents (one per incident per retry) */
    public long retries() {
        return retryAttempts.get();
    }

    /** @return incidents waiting for a retry */
    public int pendingRetries() {
        return pendingView;
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
