package io.github.perfkit.core.history;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A query of the {@link MetricsHistory}: the series of one name whose tags include all of
 * {@code tags}, over {@code [from, to]}, aggregated into steps of {@code step}. Thread-safe (immutable).
 *
 * <p>The history answers from the finest tier that still covers {@code from} and whose resolution
 * is at most {@code step}; if none has a fine enough resolution, from the finest tier covering
 * {@code from}. The step is rounded up to a multiple of the chosen tier's resolution.
 *
 * @param name the exact series name, not blank
 * @param tags tags every returned series must carry (empty: every series of the name)
 * @param from start of the range, inclusive
 * @param to end of the range, inclusive, not before {@code from}
 * @param step width of one returned point, positive
 */
public record HistoryQuery(String name, Tags tags, Instant from, Instant to, Duration step) {

    /**
     * Validates the query.
     *
     * @param name the exact series name, not blank
     * @param tags tags every returned series must carry (empty: every series of the name)
     * @param from start of the range, inclusive
     * @param to end of the range, inclusive, not before {@code from}
     * @param step width of one returned point, positive
     * @throws IllegalArgumentException naming the bad field
     */
    public HistoryQuery {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(step, "step");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from (" + from + ") must not be after to (" + to + ")");
        }
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        if (step.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("step must be at most 365 days, was " + step);
        }
    }

    /**
     * A query of every series of {@code name}.
     *
     * @param name the exact series name, not blank
     * @param from start of the range, inclusive
     * @param to end of the range, inclusive
     * @param step width of one returned point, positive
     * @return the query
     */
    public static HistoryQuery of(String name, Instant from, Instant to, Duration step) {
        return new HistoryQuery(name, Tags.empty(), from, to, step);
    }

    /**
     * A builder for a query of {@code name}; {@code from}, {@code to} and {@code step} are required.
     *
     * @param name the exact series name
     * @return a new builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builder of {@link HistoryQuery}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private Tags tags = Tags.empty();
        private @Nullable Instant from;
        private @Nullable Instant to;
        private @Nullable Duration step;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * @param tags tags every returned series must carry
         * @return this builder
         */
        public Builder tags(Iterable<? extends Tag> tags) {
            this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        /**
         * @param keyValues tag keys and values, alternating
         * @return this builder
         */
        public Builder tags(String... keyValues) {
            this.tags = Tags.of(Objects.requireNonNull(keyValues, "tags"));
            return this;
        }

        /**
         * @param from start of the range, inclusive
         * @return this builder
         */
        public Builder from(Instant from) {
            this.from = Objects.requireNonNull(from, "from");
            return this;
        }

        /**
         * @param to end of the range, inclusive
         * @return this builder
         */
        public Builder to(Instant to) {
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        /**
         * @param step width of one returned point
         * @return this builder
         */
        public Builder step(Duration step) {
            this.step = Objects.requireNonNull(step, "step");
            return this;
        }

        /**
         * Builds the query.
         *
         * @return the validated query
         * @throws IllegalArgumentException naming the bad or missing field
         */
        public HistoryQuery build() {
            if (from == null) {
                throw new IllegalArgumentException("from must be set");
            }
            if (to == null) {
                throw new IllegalArgumentException("to must be set");
            }
            if (step == null) {
                throw new IllegalArgumentException("step must be set");
            }
            return new HistoryQuery(name, tags, from, to, step);
        }
    }
}
