package io.github.perfkit.alerts;

import io.github.perfkit.alerts.internal.Series;
import io.github.perfkit.core.history.TimeSeries;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Fires when no series of a metric (with the rule's tags) has a sample in the last window, e.g.
 * "no samples of {@code app.heartbeat} for 2 min". The subject is the metric and the rule's tags.
 *
 * <p>Thread-safe: immutable.
 */
public final class AbsenceRule extends AbstractRule {

    private final String metric;
    private final Tags tags;
    private final Duration window;

    private AbsenceRule(Builder b) {
        super(b);
        this.metric = Objects.requireNonNull(b.metric);
        this.tags = b.tags;
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
        long latest = Long.MIN_VALUE;
        for (TimeSeries s : context.window(metric, tags, window)) {
            for (TimeSeries.Point p : s.points()) {
                latest = Math.max(latest, p.epochMillis());
            }
        }
        boolean absent = latest == Long.MIN_VALUE;
        String subject = Series.subject(metric, tags);
        String description = absent
                ? "no samples of " + subject + " in the last " + window.toSeconds() + "s"
                : "latest sample of " + subject + " at " + latest;
        return List.of(new Finding(subject, Series.labels(tags), absent, absent ? Double.NaN : latest,
                description, List.of()));
    }

    /**
     * Builder of {@link AbsenceRule}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends AbstractRule.Builder<Builder, AbsenceRule> {
        private @Nullable String metric;
        private Tags tags = Tags.empty();
        private Duration window = Duration.ofMinutes(2);

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
         * Sets how long without samples fires (default 2 min).
         *
         * @param window a positive window
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        @Override
        public AbsenceRule build() {
            if (metric == null || metric.isBlank()) {
                throw invalid("metric", "must be set");
            }
            if (window.isNegative() || window.isZero()) {
                throw invalid("window", "must be positive, was " + window);
            }
            return new AbsenceRule(this);
        }
    }
}
