package io.github.perfkit.alerts;

import io.github.perfkit.alerts.internal.Series;
import io.github.perfkit.core.history.TimeSeries;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Fires when a metric changed by more than a percentage over a window: the change is
 * {@code (last - first) / |first| * 100} of the samples in the window, compared with the threshold,
 * e.g. {@code GT 50} fires when the metric grew by more than 50 %, {@code LT -50} when it halved.
 *
 * <p>Thread-safe: immutable.
 */
public final class RateOfChangeRule extends AbstractRule {

    private final String metric;
    private final Tags tags;
    private final Comparison comparison;
    private final double thresholdPercent;
    private final Duration window;

    private RateOfChangeRule(Builder b) {
        super(b);
        this.metric = Objects.requireNonNull(b.metric);
        this.tags = b.tags;
        this.comparison = b.comparison;
        this.thresholdPercent = b.thresholdPercent;
        this.window = b.window;
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
        List<TimeSeries> all = context.window(metric, tags, window);
        List<Finding> out = new ArrayList<>(all.size());
        for (TimeSeries s : all) {
            List<DataPoint> points = Series.points(s, Series.Pick.AVG);
            if (points.size() < 2) {
                continue;
            }
            double first = points.get(0).value();
            double last = points.get(points.size() - 1).value();
            double change;
            if (first == 0) {
                change = last == 0 ? 0 : Math.copySign(Double.MAX_VALUE, last);
            } else {
                change = (last - first) / Math.abs(first) * 100.0;
            }
            String subject = Series.subject(metric, s.tags());
            String description = subject + " changed by " + Series.fmt(change) + " % over " + window.toSeconds()
                    + "s (from " + Series.fmt(first) + " to " + Series.fmt(last) + "; fires "
                    + comparison.symbol() + " " + Series.fmt(thresholdPercent) + " %)";
            out.add(new Finding(subject, Series.labels(s.tags()), comparison.test(change, thresholdPercent), change,
                    description, Series.tail(points, ThresholdRule.MAX_POINTS)));
        }
        return out;
    }

    /**
     * Builder of {@link RateOfChangeRule}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends AbstractRule.Builder<Builder, RateOfChangeRule> {
        private @Nullable String metric;
        private Tags tags = Tags.empty();
        private Comparison comparison = Comparison.GT;
        private double thresholdPercent = Double.NaN;
        private Duration window = Duration.ofMinutes(5);

        private Builder(String name) {
            super(name);
        }

        /**
         * Sets the metric (required).
         *
         * @param metric the metric
         * @return this builder
         */
        public Builder metric(String metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /**
         * Sets the tags a series must have.
         *
         * @param keyValues tag keys and values
         * @return this builder
         */
        public Builder tags(String... keyValues) {
            this.tags = Tags.of(keyValues);
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
         * Sets the threshold, in percent of change (required).
         *
         * @param percent the threshold
         * @return this builder
         */
        public Builder thresholdPercent(double percent) {
            this.thresholdPercent = percent;
            return this;
        }

        /**
         * Sets the window (default 5 min).
         *
         * @param window a positive window
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        @Override
        public RateOfChangeRule build() {
            if (metric == null || metric.isBlank()) {
                throw invalid("metric", "must be set");
            }
            if (!Double.isFinite(thresholdPercent)) {
                throw invalid("thresholdPercent", "must be set to a finite number");
            }
            if (window.isNegative() || window.isZero()) {
                throw invalid("window", "must be positive, was " + window);
            }
            return new RateOfChangeRule(this);
        }
    }
}
