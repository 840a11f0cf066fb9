package io.github.perfkit.cache.spi;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The remote (L2) level shared by all nodes, plus the channel that carries invalidations between
 * them. Keys given here are full keys (already namespaced). Every method may throw
 * {@link RemoteTierException}; the cache catches, counts it and feeds its circuit breaker, so
 * implementations should fail fast (bounded timeouts and queues) rather than block. Implementations
 * must be thread-safe.
 */
public interface RemoteTier extends AutoCloseable {

    /**
     * Reads one value.
     *
     * @param key the full key
     * @return the bytes, or null when absent
     * @throws RemoteTierException on failure
     */
    byte @Nullable [] get(String key);

    /**
     * Reads several values in one round trip.
     *
     * @param keys the full keys
     * @return the bytes in the order of {@code keys}, null for absent keys
     * @throws RemoteTierException on failure
     */
    List<byte @Nullable []> getAll(List<String> keys);

    /**
     * Writes one value with a time to live.
     *
     * @param key the full key
     * @param value the bytes
     * @param ttl the time to live, at least one millisecond
     * @throws RemoteTierException on failure
     */
    void set(String key, byte[] value, Duration ttl);

    /**
     * Writes a value only if the key still holds exactly {@code expected} (absent when null),
     * atomically on the server: a load that observed a miss must not overwrite an invalidation
     * marker written meanwhile by another node.
     *
     * @param key the full key
     * @param value the bytes
     * @param ttl the time to live, at least one millisecond
     * @param expected the bytes observed before loading, or null for absent
     * @return whether the value was written
     * @throws RemoteTierException on failure
     */
    boolean setIfUnchanged(String key, byte[] value, Duration ttl, byte @Nullable [] expected);

    /**
     * Deletes one key.
     *
     * @param key the full key
     * @throws RemoteTierException on failure
     */
    void delete(String key);

    /**
     * Deletes every key matching a glob pattern, incrementally (never with a blocking full scan).
     *
     * @param pattern the full pattern
     * @return the number of keys deleted
     * @throws RemoteTierException on failure
     */
    long deleteMatching(String pattern);

    /**
     * Publishes a message on a channel.
     *
     * @param channel the channel
     * @param message the message
     * @throws RemoteTierException on failure
     */
    void publish(String channel, String message);

    /**
     * Subscribes to a channel for the life of this tier, resubscribing after reconnects. Call once
     * per channel; the subscription may be established later (e.g. when the server is down now).
     *
     * @param channel the channel
     * @param subscriber receives messages and (re)subscription confirmations
     */
    void subscribe(String channel, Subscriber subscriber);

    /** Releases connections and threads; never throws. */
    @Override
    void close();

    /** Receives channel events; called on the tier's I/O threads, must not block. */
    interface Subscriber {

        /**
         * A message arrived.
         *
         * @param message the message
         */
        void onMessage(String message);

        /**
         * The subscription was (re)established; messages sent while it was down were lost.
         */
        void onSubscribed();
    }
}
