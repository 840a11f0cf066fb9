package io.github.perfkit.core.history;

import io.github.perfkit.core.internal.history.DefaultMetricsHistory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A bounded in-memory time-series store: each series (name + tags) keeps downsampled buckets in
 * the tiers of its {@link HistoryConfig}, in memory preallocated when the series is first seen, so
 * memory is fixed by the configuration ({@link #estimatedBytesPerSeries()} &times;
 * {@link HistoryConfig#maxSeries()}).
 *
 * <p>Thread-safe: meant for one writer (the tick thread calling {@link #sample} or {@link #record})
 * and any number of concurrent readers; a reader always sees whole buckets (each series is guarded
 * by its own lock, read optimistically). Time is whatever the caller passes as epoch milliseconds.
 */
public interface MetricsHistory {

    /**
     * Creates a history.
     *
     * @param config the configuration
     * @return a new, empty history
     */
    static MetricsHistory create(HistoryConfig config) {
        return new DefaultMetricsHistory(config);
    }

    /** @return the configuration */
    HistoryConfig config();

    /**
     * Records one sample of one series. Non-finite values and samples older than the series' last
     * bucket are ignored; a new series beyond {@link HistoryConfig#maxSeries()} is dropped and counted.
     *
     * @param name the series name, not blank
     * @param tags the series tags
     * @param epochMillis the sample time
     * @param value the sample
     */
    void record(String name, Iterable<Tag> tags, long epochMillis, double value);

    /**
     * Samples every selected meter of a registry at one tick. Gauges and time gauges give their
     * value; counters give a rate per second from the count delta since the previous tick (none on
     * the first tick); timers and distribution summaries give {@code <name>.count} (rate per second),
     * {@code <name>.mean} (delta total / delta count, seconds for timers; no point in a tick without
     * events) and {@code <name>.max}; function timers give {@code .count} and {@code .mean}; long task
     * timers, which have no cumulative count, give {@code <name>.active} (active tasks),
     * {@code <name>.mean} (mean age of the active tasks, seconds) and {@code <name>.max}. Other meter
     * types are not sampled. A failing meter is counted and logged once, never thrown.
     *
     * @param registry the registry to sample
     * @param epochMillis the tick time
     */
    void sample(MeterRegistry registry, long epochMillis);

    /**
     * Queries the history.
     *
     * @param query the query
     * @return one entry per matching series (possibly with no points), in no particular order
     */
    List<TimeSeries> query(HistoryQuery query);

    /**
     * The latest bucket of the finest tier of one series.
     *
     * @param name the series name
     * @param tags the exact tags of the series
     * @return the latest point, or empty if the series is unknown or has no retained data
     */
    Optional<TimeSeries.Point> latest(String name, Iterable<Tag> tags);

    /** @return the names of all series, sorted */
    Set<String> names();

    /** @return the number of series */
    int seriesCount();

    /**
     * @return how many times a new series was refused because {@link HistoryConfig#maxSeries()} was
     *     reached (a refused meter counts once while it stays registered; each refused {@link #record} call counts)
     */
    long droppedSeries();

    /**
     * @return the estimated heap bytes of one series: its preallocated tier arrays plus object
     *     overhead, without its name and tag strings
     */
    long estimatedBytesPerSeries();
}
