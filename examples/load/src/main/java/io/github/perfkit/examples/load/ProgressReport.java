package io.github.perfkit.examples.load;

import java.time.Duration;
import java.util.Locale;

/**
 * One progress report of a running {@link LoadGenerator}: the last interval's rate and percentiles, and the
 * running totals.
 *
 * <p>Immutable and thread-safe.
 *
 * @param elapsed time since the run started
 * @param intervalLength the interval's length
 * @param interval the interval's responses and latencies
 * @param total everything since the start
 */
public record ProgressReport(Duration elapsed, Duration intervalLength, LatencySummary interval, LatencySummary total) {

    /** @return responses per second in the interval */
    public double rate() {
        double seconds = intervalLength.toNanos() / 1e9;
        return seconds <= 0 ? 0 : interval.requests() / seconds;
    }

    /**
     * The one-line form, e.g. {@code [  10s] 812.4 req/s  p50 1.2 ms  p95 4.0 ms  p99 9.1 ms  errors 0  total 8123 (2xx=8120 5xx=3)}.
     *
     * @return the line
     */
    public String line() {
        return String.format(Locale.ROOT, "[%4ds] %8.1f req/s  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  errors %d  total %d (%s)",
                elapsed.toSeconds(), rate(), interval.p50Micros() / 1e3, interval.p95Micros() / 1e3,
                interval.p99Micros() / 1e3, interval.failures(), total.requests(), LoadResult.statuses(total));
    }
}
