package io.github.perfkit.core.history;

import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Objects;

/**
 * The points of one series answering a {@link HistoryQuery}, oldest first; steps without data are
 * omitted rather than filled. Thread-safe (immutable).
 *
 * @param name the series name
 * @param tags the series tags
 * @param points the points, oldest first, unmodifiable
 */
public record TimeSeries(String name, Tags tags, List<Point> points) {

    /**
     * Copies the points.
     *
     * @param name the series name
     * @param tags the series tags
     * @param points the points, oldest first
     */
    public TimeSeries {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tags, "tags");
        points = List.copyOf(points);
    }

    /**
     * One aggregated step (or bucket): min of the minimums, max of the maximums and the
     * sample-count-weighted average. Values are stored as {@code float}, so they carry about 7
     * significant digits. Always {@code min <= avg <= max}. Thread-safe (immutable).
     *
     * @param epochMillis start of the step, aligned to the epoch (the first point may start before the query's {@code from})
     * @param min smallest sample in the step
     * @param max largest sample in the step
     * @param avg average of the samples in the step
     */
    public record Point(long epochMillis, double min, double max, double avg) {}
}
