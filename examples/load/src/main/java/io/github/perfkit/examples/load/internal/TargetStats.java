package io.github.perfkit.examples.load.internal;

import io.github.perfkit.examples.load.LatencySummary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Latencies and status counts of one target. Workers call {@link #response} and {@link #error} concurrently
 * (wait-free); one reporting thread calls {@link #drain} and the summaries.
 *
 * <p>Thread-safe as described.
 */
public final class TargetStats {

    /** Largest latency recorded (one hour, in microseconds); longer ones are clamped. */
    public static final long MAX_MICROS = 3_600_000_000L;
    private static final String[] CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final Recorder recorder = new Recorder(1, MAX_MICROS, 3);
    private final Histogram total = new Histogram(1, MAX_MICROS, 3);
    private final LongAdder[] statuses = new LongAdder[CLASSES.length];
    private final LongAdder errors = new LongAdder();
    private final long[] statusesAtDrain = new long[CLASSES.length];
    private long errorsAtDrain;
    private @Nullable Histogram recycled;
    private Histogram interval = new Histogram(1, MAX_MICROS, 3);
    private final long[] statusesInterval = new long[CLASSES.length];
    private long errorsInterval;

    /** Creates empty statistics. */
    public TargetStats() {
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = new LongAdder();
        }
    }

    /**
     * Records a response.
     *
     * @param status the HTTP status
     * @param micros the latency in microseconds
     */
    public void response(int status, long micros) {
        int c = status / 100;
        statuses[c >= 1 && c <= 5 ? c : 0].increment();
        recorder.recordValue(Math.max(1, Math.min(MAX_MICROS, micros)));
    }

    /** Records a request that got no response. */
    public void error() {
        errors.increment();
    }

    /**
     * Moves what was recorded since the last drain into the totals and the interval (reporting thread only).
     */
    public void drain() {
        interval = recycled == null ? recorder.getIntervalHistogram() : recorder.getIntervalHistogram(recycled);
        recycled = interval;
        total.add(interval);
        for (int i = 0; i < statuses.length; i++) {
            long now = statuses[i].sum();
            statusesInterval[i] = now - statusesAtDrain[i];
            statusesAtDrain[i] = now;
        }
        long e = errors.sum();
        errorsInterval = e - errorsAtDrain;
        errorsAtDrain = e;
    }

    /** @return the last drained interval (reporting thread only) */
    public LatencySummary interval() {
        return summary(interval, statusesInterval, errorsInterval);
    }

    /** @return everything drained so far (reporting thread only) */
    public LatencySummary total() {
        return summary(total, statusesAtDrain, errorsAtDrain);
    }

    /**
     * Adds this target's last interval and totals to aggregates (reporting thread only).
     *
     * @param intervalSum the interval aggregate
     * @param totalSum the total aggregate
     */
    public void addTo(Aggregate intervalSum, Aggregate totalSum) {
        intervalSum.add(interval, statusesInterval, errorsInterval);
        totalSum.add(total, statusesAtDrain, errorsAtDrain);
    }

    static LatencySummary summary(Histogram h, long[] statusCounts, long errorCount) {
        Map<String, Long> classes = new LinkedHashMap<>();
        for (int i = 1; i < CLASSES.length; i++) {
            if (statusCounts[i] > 0) {
                classes.put(CLASSES[i], statusCounts[i]);
            }
        }
        if (statusCounts[0] > 0) {
            classes.put(CLASSES[0], statusCounts[0]);
        }
        // responses counted by status (a drain racing a worker may see its status before its latency, never the
        // reverse: the status is counted first); the final drain after the workers stopped is exact either way
        long responses = 0;
        for (long c : statusCounts) {
            responses += c;
        }
        boolean empty = h.getTotalCount() == 0;
        return new LatencySummary(responses, errorCount, classes, empty ? 0 : h.getMean(),
                empty ? 0 : h.getValueAtPercentile(50), empty ? 0 : h.getValueAtPercentile(95),
                empty ? 0 : h.getValueAtPercentile(99), empty ? 0 : h.getMaxValue());
    }

    /** A sum of several targets' statistics; not thread-safe. */
    public static final class Aggregate {
        private final Histogram histogram = new Histogram(1, MAX_MICROS, 3);
        private final long[] statusCounts = new long[CLASSES.length];
        private long errorCount;

        /** Creates an empty aggregate. */
        public Aggregate() {
            // empty
        }

        void add(Histogram h, long[] counts, long errs) {
            histogram.add(h);
            for (int i = 0; i < counts.length; i++) {
                statusCounts[i] += counts[i];
            }
            errorCount += errs;
        }

        /** @return the summary */
        public LatencySummary summary() {
            return TargetStats.summary(histogram, statusCounts, errorCount);
        }
    }
}
