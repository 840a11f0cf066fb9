package io.github.perfkit.cache;

/**
 * Snapshot of one cache's counters since it was created. Immutable; thread-safe.
 *
 * @param l1Hits reads served by L1
 * @param l1Misses reads L1 could not serve
 * @param l2Hits reads served by L2
 * @param l2Misses reads L2 could not serve (including L2 unavailable)
 * @param loads loader calls
 * @param loadFailures loader calls that threw
 * @param l1Size current number of L1 entries (approximate)
 */
public record CacheStats(long l1Hits, long l1Misses, long l2Hits, long l2Misses, long loads, long loadFailures,
                         long l1Size) {

    /** @return L1 hits over L1 reads, or 0 with no reads */
    public double l1HitRatio() {
        long total = l1Hits + l1Misses;
        return total == 0 ? 0 : (double) l1Hits / total;
    }

    /** @return L2 hits over L2 reads, or 0 with no reads */
    public double l2HitRatio() {
        long total = l2Hits + l2Misses;
        return total == 0 ? 0 : (double) l2Hits / total;
    }
}
