package io.github.perfkit.alerts;

import io.github.perfkit.alerts.internal.ThresholdGroup;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Fires when an aggregation of a metric over a window compares to a threshold, for every series of
 * the metric whose tags include the rule's tags (each series is its own subject). With a resolve
 * threshold (hysteresis) a firing alert stays active until the value no longer compares to the
 * resolve threshold, e.g. {@code > 90} fires above 90 and, with {@code resolveThreshold(80)},
 * resolves only below or at 80.
 *
 * <pre>{@code
 * ThresholdRule cpu = ThresholdRule.builder("cpu-high")
 *         .metric(MetricNames.SYSTEM_CPU_USAGE).comparison(Comparison.GT).threshold(0.9)
 *         .aggregation(Aggregation.avg()).window(Duration.ofMinutes(1))
 *         .forDuration(Duration.ofMinutes(2)).level(AlertLevel.CRITICAL).build();
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 */
public final class ThresholdRule extends AbstractRule {

    /** Points kept as the "fired by" evidence of a finding. */
    static final int MAX_POINTS = ThresholdGroup.MAX_POINTS;

    private final String metric;
    private final Tags tags;
    private final Comparison comparison;
    private final double threshold;
    private final double resolveThreshold;
    private final Aggregation aggregation;
    private final Duration window;
    private final @Nullable String ratioTo;

    private ThresholdRule(Builder b) {
        super(b);
        this.metric = Objects.requireNonNull(b.metric);
        this.tags = b.tags;
        this.comparison = b.comparison;
        this.threshold = b.threshold;
        this.resolveThreshold = b.resolveThreshold == null ? b.threshold : b.resolveThreshold;
        this.aggregation = b.aggregation;
        this.window = b.window;
        this.ratioTo = b.ratioTo;
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

    /** @return the metric name */
    public String metric() {
        return metric;
    }

    /** @return the tags a series must have */
    public Tags tags() {
        return tags;
    }

    /** @return the comparison */
    public Comparison comparison() {
        return comparison;
    }

    /** @return the firing threshold */
    public double threshold() {
        return threshold;
    }

    /** @return the resolve threshold (equal to the threshold without hysteresis) */
    public double resolveThreshold() {
        return resolveThreshold;
    }

    /** @return the aggregation */
    public Aggregation aggregation() {
        return aggregation;
    }

    /** @return the window */
    public Duration window() {
        return window;
    }

    /** @return the denominator metric, or null when the metric is compared as is */
    public @Nullable String ratioTo() {
        return ratioTo;
    }

    @Override
    public List<Finding> evaluate(RuleContext context) {
        return ThresholdGroup.evaluate(this, context);
    }

    /**
     * Builder of {@link ThresholdRule}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends AbstractRule.Builder<Builder, ThresholdRule> {
        private @Nullable String metric;
        private Tags tags = Tags.empty();
        private Comparison comparison = Comparison.GT;
        private double threshold = Double.NaN;
        private @Nullable Double resolveThreshold;
        private Aggregation aggregation = Aggregation.last();
        private Duration window = Duration.ofMinutes(1);
        private @Nullable String ratioTo;

        private Builder(String name) {
            super(name);
        }

        /**
         * Sets the metric (required).
         *
         * @param metric the metric name
         * @return this builder
         */
        public Builder metric(String metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /**
         * Sets the tags a series must have (default none: every series of the metric).
         *
         * @param keyValues tag keys and values
         * @return this builder
         */
        public Builder tags(String... keyValues) {
            this.tags = Tags.of(keyValues);
            return this;
        }

        /**
         * Sets the tags a series must have.
         *
         * @param tags the tags
         * @return this builder
         */
        public Builder tags(Tags tags) {
            this.tags = Objects.requireNonNull(tags, "tags");
            return this;
        }

        /**
         * Sets the comparison (default {@code >}).
         *
         * @param comparison the comparison
         * @return this builder
         */
        public Builder comparison(Comparison comparison) {
            this.comparison = Objects.requireNonNull(comparison, "comparison");
            return this;
        }

        /**
         * Sets the threshold (required).
         *
         * @param threshold a finite threshold
         * @return this builder
         */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /**
         * Sets the resolve threshold (hysteresis); must be on the non-firing side of the threshold.
         *
         * @param resolveThreshold the resolve threshold, or null for none
         * @return this builder
         */
        public Builder resolveThreshold(@Nullable Double resolveThreshold) {
            this.resolveThreshold = resolveThreshold;
            return this;
        }

        /**
         * Sets the aggregation (default last).
         *
         * @param aggregation the aggregation
         * @return this builder
         */
        public Builder aggregation(Aggregation aggregation) {
            this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
            return this;
        }

        /**
         * Sets the window (default 1 min).
         *
         * @param window a positive window
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Compares the metric divided by the latest value of another metric with the same tags (e.g.
         * disk usable / disk total), so thresholds are fractions; series without a positive denominator
         * are skipped.
         *
         * @param denominatorMetric the denominator metric, or null for none
         * @return this builder
         */
        public Builder ratioTo(@Nullable String denominatorMetric) {
            this.ratioTo = denominatorMetric;
            return this;
        }

        @Override
        public ThresholdRule build() {
            if (metric == null || metric.isBlank()) {
                throw invalid("metric", "must be set");
            }
            if (!Double.isFinite(threshold)) {
                throw invalid("threshold", "must be set to a finite number");
            }
            if (window.isNegative() || window.isZero()) {
                throw invalid("window", "must be positive, was " + window);
            }
            if (resolveThreshold != null) {
                double r = resolveThreshold;
                boolean upward = comparison == Comparison.GT || comparison == Comparison.GE;
                if (!Double.isFinite(r) || (upward ? r > threshold : r < threshold)) {
                    throw invalid("resolveThreshold", "must be " + (upward ? "at most" : "at least")
                            + " the threshold " + threshold + " for " + comparison.symbol() + ", was " + r);
                }
            }
            return new ThresholdRule(this);
        }
    }
}
