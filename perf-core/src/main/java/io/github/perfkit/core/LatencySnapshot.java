package io.github.perfkit.core;

import java.time.Duration;

/**
 * Latency statistics over one period (a sliding window or the time since start). Percentiles are
 * exact to HdrHistogram precision (3 significant digits); count, mean, min and max are exact.
 * Immutable.
 *
 * @param count number of samples
 * @param ratePerSecond samples per second over the period
 * @param meanNanos mean latency in nanoseconds (0 when empty)
 * @param minNanos smallest sample in nanoseconds (0 when empty)
 * @param maxNanos largest sample in nanoseconds (0 when empty)
 * @param p50Nanos median in nanoseconds
 * @param p90Nanos 90th percentile in nanoseconds
 * @param p95Nanos 95th percentile in nanoseconds
 * @param p99Nanos 99th percentile in nanoseconds
 * @param p999Nanos 99.9th percentile in nanoseconds
 * @param period length of the period the statistics cover
 */
public record LatencySnapshot(
        long count,
        double ratePerSecond,
        double meanNanos,
        long minNanos,
        long maxNanos,
        long p50Nanos,
        long p90Nanos,
        long p95Nanos,
        long p99Nanos,
        long p999Nanos,
        Duration period) {

    /**
     * An empty snapshot over {@code period}.
     *
     * @param period the period covered
     * @return a snapshot with no samples
     */
    public static LatencySnapshot empty(Duration period) {
        return new LatencySnapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, period);
    }
}
