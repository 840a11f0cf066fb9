package io.github.perfkit.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A named cache with an in-process level (L1) and an optional remote level (L2), created by a
 * {@link CacheManager}. Keys are strings, namespaced in L2 as {@code <prefix>:<cache>:<key>}.
 * Failures of L2 never reach callers: they are counted, and the cache serves L1 and the loader.
 * Implementations are thread-safe.
 *
 * <pre>{@code
 * MultilevelCache<User> users = manager.cache("users", CacheConfig.ofDefaults(), JsonCodec.of(User.class));
 * User u = users.get("user:42", key -> repository.find(42));
 * users.invalidatePattern("user:" + CacheKeys.escapeGlob(tenant) + ":*");
 * }</pre>
 *
 * @param <V> the value type
 */
public interface MultilevelCache<V> {

    /** @return the cache name */
    String name();

    /**
     * Reads L1, then L2; never calls a loader.
     *
     * @param key the key
     * @return the value, or null when absent (or cached as absent)
     * @throws IllegalArgumentException if the key is invalid (see {@link CacheKeys#validateKey})
     */
    @Nullable V getIfPresent(String key);

    /**
     * Read-through: L1, then L2, then {@code loader}; a value found in L2 fills L1, a loaded value
     * fills both. Concurrent misses of one key on this node call the loader once. An invalidation
     * of the key while its load is in flight wins: the loaded value is returned but not stored.
     *
     * @param key the key
     * @param loader computes the value, or null when absent; its exceptions propagate to the caller
     * @return the value, or null when absent
     * @throws IllegalArgumentException if the key is invalid
     */
    @Nullable V get(String key, Function<? super String, ? extends @Nullable V> loader);

    /**
     * Read-through like {@link #get(String, Function)}, storing a loaded value with its own time to
     * live: {@code ttl} in L2, the shorter of {@code ttl} and the configured L1 TTL in L1.
     *
     * @param key the key
     * @param ttl the time to live of a value stored by this call, positive
     * @param loader computes the value, or null when absent; its exceptions propagate to the caller
     * @return the value, or null when absent
     * @throws IllegalArgumentException if the key is invalid or the ttl not positive
     */
    @Nullable V get(String key, Duration ttl, Function<? super String, ? extends @Nullable V> loader);

    /**
     * Bulk read-through: keys missing from both levels are loaded with one call of {@code loader}.
     *
     * @param keys the keys
     * @param loader loads the missing keys; keys it leaves out are absent
     * @return the present values by key
     * @throws IllegalArgumentException if a key is invalid
     */
    Map<String, V> getAll(Collection<String> keys,
                          Function<? super Set<String>, ? extends Map<String, ? extends V>> loader);

    /**
     * Writes the value to both levels.
     *
     * @param key the key
     * @param value the value
     * @throws IllegalArgumentException if the key is invalid
     */
    void put(String key, V value);

    /**
     * Writes the value to both levels with its own time to live ({@code ttl} in L2, the shorter of
     * {@code ttl} and the configured L1 TTL in L1).
     *
     * @param key the key
     * @param value the value
     * @param ttl the time to live, positive
     * @throws IllegalArgumentException if the key is invalid or the ttl not positive
     */
    void put(String key, V value, Duration ttl);

    /**
     * Removes the key from both levels and tells every node to drop it from its L1.
     *
     * @param key the key
     * @throws IllegalArgumentException if the key is invalid
     */
    void evict(String key);

    /**
     * Removes every key matching a Redis glob pattern (relative to this cache's namespace) from
     * both levels, with {@code SCAN} and {@code UNLINK} in L2, and tells every node to drop
     * matching L1 entries. Escape user-supplied parts with {@link CacheKeys#escapeGlob}.
     *
     * @param pattern the pattern, at most {@link CacheKeys#MAX_PATTERN_LENGTH} characters
     * @return the number of L2 keys removed (0 when L2 is absent or unreachable)
     * @throws IllegalArgumentException if the pattern is invalid
     */
    long invalidatePattern(String pattern);

    /**
     * Invalidates several patterns at once, e.g. the keys related to one entity.
     *
     * @param patterns the patterns
     * @return the number of L2 keys removed
     * @throws IllegalArgumentException if a pattern is invalid (checked before any is applied)
     */
    long invalidatePatterns(Collection<String> patterns);

    /** Removes every entry of this cache from both levels, on every node. */
    void invalidateAll();

    /** @return a snapshot of this cache's counters */
    CacheStats stats();
}
