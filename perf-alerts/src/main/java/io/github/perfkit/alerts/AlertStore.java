package io.github.perfkit.alerts;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Shared state of a cluster of engines (SPI): one notification per dedup key across the nodes, and a
 * shared event history. The engine calls {@link #claimAsync} and {@link #append} from its evaluation
 * thread, so implementations that do I/O must return at once (asynchronous I/O) and never throw; a claim
 * that fails should answer {@code true} (a duplicate notification is better than none), and the engine
 * answers {@code true} itself for a claim not complete within {@link #claimTimeout()}.
 * {@code io.github.perfkit.alerts.redis.RedisAlertStore} is the Redis implementation.
 *
 * <p>Thread-safety: implementations must be thread-safe.
 */
public interface AlertStore {

    /**
     * Claims a notification: true for the first node to claim {@code key} within {@code ttl}. May block
     * (bounded); the engine uses {@link #claimAsync}.
     *
     * @param key the dedup key (rule, subject, kind and level of the event)
     * @param ttl how long the claim holds
     * @return whether this node should send it
     */
    boolean claim(String key, Duration ttl);

    /**
     * Claims a notification without blocking: the engine waits for the answer on no thread (it sends the
     * notification when every claim of the evaluation is answered or timed out). The default runs
     * {@link #claim} on the calling thread, which suits only stores without I/O.
     *
     * @param key the dedup key (rule, subject, kind and level of the event)
     * @param ttl how long the claim holds
     * @return whether this node should send it
     */
    default CompletionStage<Boolean> claimAsync(String key, Duration ttl) {
        return CompletableFuture.completedFuture(claim(key, ttl));
    }

    /**
     * @return how long the engine waits for a claim before sending anyway (default 250 ms)
     */
    default Duration claimTimeout() {
        return Duration.ofMillis(250);
    }

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
