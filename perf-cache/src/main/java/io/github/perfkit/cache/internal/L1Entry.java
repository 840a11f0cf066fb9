package io.github.perfkit.cache.internal;

/**
 * An L1 entry with its own time to live. Caffeine expires every entry after the cache's configured
 * L1 TTL; an entry whose own TTL is shorter (absent markers, per-call TTLs, entries written while L2
 * is degraded) is also dropped when read past its own deadline. Immutable.
 *
 * @param value the value, or {@link DefaultMultilevelCache#ABSENT}
 * @param ttlNanos time to live
 * @param writtenNanos monotonic write time
 */
record L1Entry(Object value, long ttlNanos, long writtenNanos) {
}
