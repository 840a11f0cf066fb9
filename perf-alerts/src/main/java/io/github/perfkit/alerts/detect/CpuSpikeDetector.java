package io.github.perfkit.alerts.detect;

import io.github.perfkit.alerts.AbstractRule;
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
 * CPU spike: the mean of the last {@code recentSamples} samples of a CPU metric (default
 * {@code perfkit.jvm.cpu.usage}, 0..1) is at least {@code zThreshold} standard deviations above the
 * mean of the samples before them in a moving window, and at least {@code minValue}. The standard
 * deviation is floored at {@code minStdDev} so a perfectly flat baseline does not turn noise into a spike.
 *
 * <p>Thread-safe: immutable.
 */
public final class CpuSpikeDetector extends AbstractRule {

    private final String metric;
    private final Duration window;
    private final int recentSamples;
    private final int minBaseline;
    private final double zThreshold;
    private final double minValue;
    private final double minStdDev;

    private CpuSpikeDetector(Builder b) {
        super(b);
        this.metric = b.metric;
        this.window = b.window;
        this.recentSamples = b.recentSamples;
        this.minBaseline = b.minBaseline;
        this.zThreshold = b.zThreshold;
        this.minValue = b.minValue;
        this.minStdDev = b.minStdDev;
    }

    /**
     * Starts a builder (default name {@code cpu-spike}).
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder("cpu-spike");
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
            int n = points.size();
            if (n < minBaseline + recentSamples) {
                continue;
            }
            double[] base = Stats.meanStd(points, 0, n - recentSamples);
            double[] recent = Stats.meanStd(points, n - recentSamples, n);
            double std = Math.max(base[1], minStdDev);
            double z = (recent[0] - base[0]) / std;
            boolean active = z >= zThreshold && recent[0] >= minValue;
            String d = "CPU " + Series.fmt(recent[0] * 100) + " % (last " + recentSamples + " samples) vs "
                    + Series.fmt(base[0] * 100) + " % ± " + Series.fmt(base[1] * 100) + " % over the previous "
                    + (n - recentSamples) + " samples: z-score " + Series.fmt(z) + " (fires at " + Series.fmt(zThreshold)
                    + " and at least " + Series.fmt(minValue * 100) + " %)";
            out.add(new Finding(Series.subject(metric, s.tags()), Series.labels(s.tags()), active, z, d,
                    Series.tail(points, 20)));
        }
        return out;
    }

    /**
     * Builder of {@link CpuSpikeDetector}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends AbstractRule.Builder<Builder, CpuSpikeDetector> {
        private String metric = MetricNames.JVM_CPU_USAGE;
        private Duration window = Duration.ofMinutes(10);
        private int recentSamples = 3;
        private int minBaseline = 30;
        private double zThreshold = 3;
        private double minValue = 0.5;
        private double minStdDev = 0.02;

        private Builder(String name) {
            super(name);
            suggestedActions("Record a CPU profile (JFR) and look at the top functions",
                    "Check for a traffic surge or a runaway loop in a thread dump");
        }

        /**
         * Sets the CPU metric (default {@code perfkit.jvm.cpu.usage}).
         *
         * @param metric the metric, values 0..1
         * @return this builder
         */
        public Builder metric(String metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /**
         * Sets the moving window (default 10 min).
         *
         * @param window positive
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Sets how many latest samples form the tested value (default 3).
         *
         * @param recentSamples at least 1
         * @return this builder
         */
        public Builder recentSamples(int recentSamples) {
            this.recentSamples = recentSamples;
            return this;
        }

        /**
         * Sets the minimum number of baseline samples (default 30).
         *
         * @param minBaseline at least 2
         * @return this builder
         */
        public Builder minBaseline(int minBaseline) {
            this.minBaseline = minBaseline;
            return this;
        }

        /**
         * Sets the z-score threshold (default 3).
         *
         * @param z positive
         * @return this builder
         */
        public Builder zThreshold(double z) {
            this.zThreshold = z;
            return this;
        }

        /**
         * Sets the minimum CPU value to fire (default 0.5).
         *
         * @param minValue 0..1
         * @return this builder
         */
        public Builder minValue(double minValue) {
            this.minValue = minValue;
            return this;
        }

        /**
         * Sets the standard deviation floor (default 0.02).
         *
         * @param minStdDev positive
         * @return this builder
         */
        public Builder minStdDev(double minStdDev) {
            this.minStdDev = minStdDev;
            return this;
        }

        @Override
        public CpuSpikeDetector build() {
            if (window.isZero() || window.isNegative()) {
                throw invalid("window", "must be positive, was " + window);
            }
            if (recentSamples < 1) {
                throw invalid("recentSamples", "must be at least 1, was " + recentSamples);
            }
            if (minBaseline < 2) {
                throw invalid("minBaseline", "must be at least 2, was " + minBaseline);
            }
            if (!(zThreshold > 0)) {
                throw invalid("zThreshold", "must be positive, was " + zThreshold);
            }
            if (!(minStdDev > 0)) {
                throw invalid("minStdDev", "must be positive, was " + minStdDev);
            }
            return new CpuSpikeDetector(this);
        }
    }
}
