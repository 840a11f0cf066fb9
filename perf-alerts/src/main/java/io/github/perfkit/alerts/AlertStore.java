package io.github.perfkit.alerts;

import java.time.Duration;
import java.util.List;

/**
 * Shared state of a cluster of engines (SPI): one notification per dedup key across the nodes, and a
 * shared event history. The engine calls it from its evaluation thread, so implementations must bound
 * their latency (short timeouts) and {@link #claim}/{@link #append} never throw: on failure {@link #claim} should answer {@code true}
 * (a duplicate notification is better than none). {@code io.github.perfkit.alerts.redis.RedisAlertStore}
 * is the Redis implementation.
 *
 * <p>Thread-safety: implementations must be thread-safe.
 */
public interface AlertStore {

    /**
     * Claims a notification: true for the first node to claim {@code key} within {@code ttl}.
     *
     * @param key the dedup key (rule, subject, kind and level of the event)
     * @param ttl how long the claim holds
     * @return whether this node should send it
     */
    boolean claim(String key, Duration ttl);

    /**
     * Appends an event to the shared history (bounded by the implementation); may be asynchronous.
     *
     * @param event the event
     */
    void append(AlertEvent event);

    /**
     * The latest events of the shared history (called from query threads, not during evaluation).
     *
     * @param max at most this many
     * @return the events, newest first
     * @throws IllegalStateException if the store cannot be read; the engine then answers its local history
     */
    List<AlertEvent> recent(int max);
}
