package io.github.perfkit.alerts.detect;

import io.github.perfkit.alerts.AbstractRule;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.DataPoint;
import io.github.perfkit.alerts.Finding;
import io.github.perfkit.alerts.RuleContext;
import io.github.perfkit.alerts.internal.Series;
import io.github.perfkit.alerts.internal.Stats;
import io.github.perfkit.core.history.TimeSeries;
import io.github.perfkit.core.metrics.MetricNames;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Memory leak: heap used right after GC ({@code perfkit.jvm.memory.after.gc} by default) rising
 * steadily. Over the window it fits a least-squares line; it fires when the slope is at least
 * {@code minSlopeBytesPerSecond}, the fit explains the data (R&sup2; at least {@code minR2}) and there
 * are at least {@code minSamples} samples. The description gives the growth rate, R&sup2; and the
 * projected time until the heap max ({@code perfkit.jvm.heap.max}, or a configured max) is reached.
 *
 * <p>Thread-safe: immutable.
 */
public final class MemoryLeakDetector extends AbstractRule {

    private final String metric;
    private final String maxMetric;
    private final double maxBytes;
    private final Duration window;
    private final double minR2;
    private final double minSlope;
    private final int minSamples;

    private MemoryLeakDetector(Builder b) {
        super(b);
        this.metric = b.metric;
        this.maxMetric = b.maxMetric;
        this.maxBytes = b.maxBytes;
        this.window = b.window;
        this.minR2 = b.minR2;
        this.minSlope = b.minSlope;
        this.minSamples = b.minSamples;
    }

    /**
     * Starts a builder (default name {@code memory-leak}, level HIGH).
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder("memory-leak");
    }

    /**
     * Starts a builder.
     *
     * @param name the rule name
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public List<Finding> evaluate(RuleContext context) {
        List<Finding> out = new ArrayList<>();
        for (TimeSeries s : context.window(metric, Tags.empty(), window)) {
            List<DataPoint> points = Series.points(s, Series.Pick.AVG);
            Stats.Fit fit = Stats.fit(points);
            if (fit == null || points.size() < minSamples) {
                continue;
            }
            double max = maxBytes;
            if (!(max > 0)) {
                max = context.history().latest(maxMetric, Tags.empty()).map(TimeSeries.Point::avg).orElse(Double.NaN);
            }
            double last = points.get(points.size() - 1).value();
            boolean active = fit.slopePerSecond() >= minSlope && fit.slopePerSecond() > 0 && fit.r2() >= minR2;
            StringBuilder d = new StringBuilder("heap after GC ")
                    .append(fit.slopePerSecond() >= 0 ? "rising" : "falling").append(" by ")
                    .append(Stats.mib(Math.abs(fit.slopePerSecond()) * 60)).append("/min over ")
                    .append(Stats.duration(window.toSeconds())).append(" (R² ").append(Series.fmt(fit.r2()))
                    .append(", ").append(points.size()).append(" samples, now ").append(Stats.mib(last)).append(')');
            if (max > 0 && fit.slopePerSecond() > 0) {
                double secondsLeft = Math.max(0, (max - last) / fit.slopePerSecond());
                d.append("; projected to reach the heap max of ").append(Stats.mib(max)).append(" in ")
                        .append(Stats.duration(secondsLeft));
            }
            out.add(new Finding(Series.subject(metric, s.tags()), Series.labels(s.tags()), active,
                    fit.slopePerSecond(), d.toString(), Series.tail(points, 20)));
        }
        return out;
    }

    /**
     * Builder of {@link MemoryLeakDetector}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends AbstractRule.Builder<Builder, MemoryLeakDetector> {
        private String metric = MetricNames.JVM_HEAP_AFTER_GC;
        private String maxMetric = MetricNames.JVM_HEAP_MAX;
        private double maxBytes = Double.NaN;
        private Duration window = Duration.ofMinutes(30);
        private double minR2 = 0.8;
        private double minSlope = 1024;
        private int minSamples = 10;

        private Builder(String name) {
            super(name);
            level(AlertLevel.HIGH);
            suggestedActions("Take a heap dump (jcmd <pid> GC.heap_dump) and look for the largest retained sets",
                    "Compare class histograms a few minutes apart (jcmd <pid> GC.class_histogram)");
        }

        /**
         * Sets the heap-after-GC metric (default {@code perfkit.jvm.memory.after.gc}).
         *
         * @param metric the metric
         * @return this builder
         */
        public Builder metric(String metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /**
         * Sets the heap max in bytes (default: the latest {@code perfkit.jvm.heap.max} sample).
         *
         * @param maxBytes positive bytes
         * @return this builder
         */
        public Builder maxBytes(double maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * Sets the regression window (default 30 min).
         *
         * @param window positive
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Sets the minimum R² (default 0.8).
         *
         * @param minR2 in [0, 1]
         * @return this builder
         */
        public Builder minR2(double minR2) {
            this.minR2 = minR2;
            return this;
        }

        /**
         * Sets the minimum growth in bytes per second (default 1024).
         *
         * @param bytesPerSecond positive
         * @return this builder
         */
        public Builder minSlopeBytesPerSecond(double bytesPerSecond) {
            this.minSlope = bytesPerSecond;
            return this;
        }

        /**
         * Sets the minimum number of samples in the window (default 10).
         *
         * @param minSamples at least 3
         * @return this builder
         */
        public Builder minSamples(int minSamples) {
            this.minSamples = minSamples;
            return this;
        }

        @Override
        public MemoryLeakDetector build() {
            if (window.isZero() || window.isNegative()) {
                throw invalid("window", "must be positive, was " + window);
            }
            if (!(minR2 >= 0 && minR2 <= 1)) {
                throw invalid("minR2", "must be in [0, 1], was " + minR2);
            }
            if (!(minSlope > 0)) {
                throw invalid("minSlopeBytesPerSecond", "must be positive, was " + minSlope);
            }
            if (minSamples < 3) {
                throw invalid("minSamples", "must be at least 3, was " + minSamples);
            }
            return new MemoryLeakDetector(this);
        }
    }

    /** @return the metric */
    public String metric() {
        return metric;
    }
}
