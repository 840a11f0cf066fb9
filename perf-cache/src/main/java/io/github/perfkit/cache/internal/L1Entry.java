package io.github.perfkit.cache.internal;

/**
 * An L1 entry with its own time to live (values, absent markers and entries written while L2 is
 * degraded each get a different one). Immutable.
 *
 * @param value the value, or {@link DefaultMultilevelCache#ABSENT}
 * @param ttlNanos time to live
 * @param writtenNanos monotonic write time
 */
record L1Entry(Object value, long ttlNanos, long writtenNanos) {
}
