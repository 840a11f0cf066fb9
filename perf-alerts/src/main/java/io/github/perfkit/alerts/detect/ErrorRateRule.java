package io.github.perfkit.alerts.detect;

import io.github.perfkit.alerts.AbstractRule;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.DataPoint;
import io.github.perfkit.alerts.Finding;
import io.github.perfkit.alerts.RuleContext;
import io.github.perfkit.alerts.internal.Series;
import io.github.perfkit.core.history.TimeSeries;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Error-rate SLO: errors over all requests in the window, from two rate series (e.g. the history's
 * {@code http.server.requests.count} with tag {@code outcome=SERVER_ERROR} and without it), summed over
 * every matching series. Fires when the ratio is above {@code maxRatio} and the request rate is at least
 * {@code minRequestsPerSecond} (so two failures out of three requests at night do not page anyone).
 *
 * <p>Thread-safe: immutable.
 */
public final class ErrorRateRule extends AbstractRule {

    private final String errorsMetric;
    private final Tags errorsTags;
    private final String totalMetric;
    private final Tags totalTags;
    private final double maxRatio;
    private final double minRate;
    private final Duration window;

    private ErrorRateRule(Builder b) {
        super(b);
        this.errorsMetric = Objects.requireNonNull(b.errorsMetric);
        this.errorsTags = b.errorsTags;
        this.totalMetric = Objects.requireNonNull(b.totalMetric);
        this.totalTags = b.totalTags;
        this.maxRatio = b.maxRatio;
        this.minRate = b.minRate;
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
        double errors = sum(context.window(errorsMetric, errorsTags, window));
        double total = sum(context.window(totalMetric, totalTags, window));
        if (Double.isNaN(total)) {
            return List.of();
        }
        double errs = Double.isNaN(errors) ? 0 : errors;
        double ratio = total <= 0 ? 0 : errs / total;
        double perSecond = total / Math.max(1, window.toSeconds());
        boolean active = ratio > maxRatio && perSecond >= minRate;
        String d = "error rate " + Series.fmt(ratio * 100) + " % over " + window.toSeconds() + "s ("
                + Series.fmt(errs) + " of " + Series.fmt(total) + " requests; fires above "
                + Series.fmt(maxRatio * 100) + " % with at least " + Series.fmt(minRate) + " req/s)";
        return List.of(new Finding(Series.subject(totalMetric, totalTags), Series.labels(totalTags), active, ratio, d,
                List.of(new DataPoint(context.nowMillis(), ratio))));
    }

    /** Sums rate points (per second) times the sample interval they cover: an event count. */
    private static double sum(List<TimeSeries> series) {
        double sum = Double.NaN;
        for (TimeSeries s : series) {
            List<DataPoint> points = Series.points(s, Series.Pick.AVG);
            for (int i = 0; i < points.size(); i++) {
                double seconds = i == 0 ? 1 : Math.max(1, (points.get(i).epochMillis() - points.get(i - 1).epochMillis())
                        / 1000.0);
                sum = (Double.isNaN(sum) ? 0 : sum) + points.get(i).value() * seconds;
            }
        }
        return sum;
    }

    /**
     * Builder of {@link ErrorRateRule}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends AbstractRule.Builder<Builder, ErrorRateRule> {
        private @Nullable String errorsMetric;
        private Tags errorsTags = Tags.empty();
        private @Nullable String totalMetric;
        private Tags totalTags = Tags.empty();
        private double maxRatio = 0.05;
        private double minRate = 0.1;
        private Duration window = Duration.ofMinutes(5);

        private Builder(String name) {
            super(name);
            level(AlertLevel.HIGH);
            suggestedActions("Look at the failing endpoints and their exceptions in the logs");
        }

        /**
         * Sets the error-rate series (required).
         *
         * @param metric series name (events per second)
         * @param tagKeyValues tags the series must have, e.g. {@code "outcome", "SERVER_ERROR"}
         * @return this builder
         */
        public Builder errors(String metric, String... tagKeyValues) {
            this.errorsMetric = Objects.requireNonNull(metric, "metric");
            this.errorsTags = Tags.of(tagKeyValues);
            return this;
        }

        /**
         * Sets the request-rate series (required).
         *
         * @param metric series name (events per second)
         * @param tagKeyValues tags the series must have
         * @return this builder
         */
        public Builder total(String metric, String... tagKeyValues) {
            this.totalMetric = Objects.requireNonNull(metric, "metric");
            this.totalTags = Tags.of(tagKeyValues);
            return this;
        }

        /**
         * Sets the ratio above which it fires (default 0.05).
         *
         * @param maxRatio in (0, 1)
         * @return this builder
         */
        public Builder maxRatio(double maxRatio) {
            this.maxRatio = maxRatio;
            return this;
        }

        /**
         * Sets the minimum request rate (default 0.1/s).
         *
         * @param perSecond not negative
         * @return this builder
         */
        public Builder minRequestsPerSecond(double perSecond) {
            this.minRate = perSecond;
            return this;
        }

        /**
         * Sets the window (default 5 min).
         *
         * @param window positive
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        @Override
        public ErrorRateRule build() {
            if (errorsMetric == null) {
                throw invalid("errors", "must be set");
            }
            if (totalMetric == null) {
                throw invalid("total", "must be set");
            }
            if (!(maxRatio > 0 && maxRatio < 1)) {
                throw invalid("maxRatio", "must be in (0, 1), was " + maxRatio);
            }
            if (!(minRate >= 0)) {
                throw invalid("minRequestsPerSecond", "must not be negative, was " + minRate);
            }
            if (window.isZero() || window.isNegative()) {
                throw invalid("window", "must be positive, was " + window);
            }
            return new ErrorRateRule(this);
        }
    }
}
