package io.github.perfkit.alerts;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Base of the built-in rules: holds the settings every rule has (name, level, for-duration,
 * escalation, suggested actions).
 *
 * <p>Thread-safe: immutable.
 */
public abstract class AbstractRule implements AlertRule {

    private final String name;
    private final AlertLevel level;
    private final Duration forDuration;
    private final @Nullable Escalation escalation;
    private final List<String> suggestedActions;

    /**
     * Copies the common settings from a builder.
     *
     * @param builder the builder
     */
    protected AbstractRule(Builder<?, ?> builder) {
        this.name = builder.name;
        this.level = builder.level;
        this.forDuration = builder.forDuration;
        this.escalation = builder.escalation;
        this.suggestedActions = List.copyOf(builder.suggestedActions);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AlertLevel level() {
        return level;
    }

    @Override
    public Duration forDuration() {
        return forDuration;
    }

    @Override
    public @Nullable Escalation escalation() {
        return escalation;
    }

    @Override
    public List<String> suggestedActions() {
        return suggestedActions;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + level + "]";
    }

    /**
     * Builder of the common settings.
     *
     * <p>Not thread-safe.
     *
     * @param <B> the concrete builder
     * @param <R> the rule it builds
     */
    public abstract static class Builder<B extends Builder<B, R>, R extends AlertRule> {
        private final String name;
        private AlertLevel level = AlertLevel.WARNING;
        private Duration forDuration = Duration.ZERO;
        private @Nullable Escalation escalation;
        private List<String> suggestedActions = List.of();

        /**
         * Starts a builder.
         *
         * @param name the rule name, not blank
         */
        protected Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("rule name must not be blank");
            }
            this.name = name;
        }

        /** @return this builder, typed */
        @SuppressWarnings("unchecked")
        protected final B self() {
            return (B) this;
        }

        /** @return the rule name */
        protected final String name() {
            return name;
        }

        /**
         * Sets the level (default WARNING).
         *
         * @param level the level
         * @return this builder
         */
        public B level(AlertLevel level) {
            this.level = Objects.requireNonNull(level, "level");
            return self();
        }

        /**
         * Sets how long the condition must hold before firing (default zero).
         *
         * @param forDuration the duration, not negative
         * @return this builder
         */
        public B forDuration(Duration forDuration) {
            Objects.requireNonNull(forDuration, "forDuration");
            if (forDuration.isNegative()) {
                throw new IllegalArgumentException("rule '" + name + "': forDuration must not be negative");
            }
            this.forDuration = forDuration;
            return self();
        }

        /**
         * Sets the escalation (default none).
         *
         * @param escalation the escalation, or null for none
         * @return this builder
         */
        public B escalation(@Nullable Escalation escalation) {
            this.escalation = escalation;
            return self();
        }

        /**
         * Sets the suggested actions.
         *
         * @param actions the actions
         * @return this builder
         */
        public B suggestedActions(List<String> actions) {
            this.suggestedActions = List.copyOf(Objects.requireNonNull(actions, "actions"));
            return self();
        }

        /**
         * Sets the suggested actions.
         *
         * @param actions the actions
         * @return this builder
         */
        public B suggestedActions(String... actions) {
            return suggestedActions(List.of(actions));
        }

        /**
         * Fails with a message naming the rule and the field.
         *
         * @param field the field name
         * @param problem what is wrong
         * @return never returns normally
         * @throws IllegalArgumentException always
         */
        protected final IllegalArgumentException invalid(String field, String problem) {
            throw new IllegalArgumentException("rule '" + name + "': " + field + " " + problem);
        }

        /**
         * Validates and builds the rule.
         *
         * @return the rule
         * @throws IllegalArgumentException naming the rule and field if a setting is invalid
         */
        public abstract R build();
    }
}
