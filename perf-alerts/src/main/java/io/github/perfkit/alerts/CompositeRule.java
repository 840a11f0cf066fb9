package io.github.perfkit.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Combines rules: {@link Mode#ALL} fires when every child has an active finding, {@link Mode#ANY}
 * when at least one has. The composite has one subject, its name; the children's own levels,
 * durations and escalations are ignored (only their findings count), but their hysteresis holds: a
 * child threshold that was active in the composite's previous evaluation stays active until its value
 * passes the resolve threshold (with the engine's context; see {@link RuleContext#nested}).
 *
 * <p>Thread-safe: immutable (if the children are).
 */
public final class CompositeRule extends AbstractRule {

    /** How children combine. */
    public enum Mode {
        /** Every child must have an active finding. */
        ALL,
        /** At least one child must have an active finding. */
        ANY
    }

    private final Mode mode;
    private final List<AlertRule> children;

    private CompositeRule(Builder b) {
        super(b);
        this.mode = b.mode;
        this.children = List.copyOf(b.children);
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

    /** @return the children */
    public List<AlertRule> children() {
        return children;
    }

    @Override
    public List<Finding> evaluate(RuleContext context) {
        int activeChildren = 0;
        List<DataPoint> points = new ArrayList<>();
        StringBuilder description = new StringBuilder();
        // children see their own previous state through the nested context, so their hysteresis holds
        RuleContext inner = context.nested(name());
        for (AlertRule child : children) {
            boolean childActive = false;
            for (Finding f : child.evaluate(inner)) {
                if (f.active()) {
                    inner.markActive(child.name(), f.subject());
                    childActive = true;
                    if (description.length() > 0) {
                        description.append("; ");
                    }
                    description.append(child.name()).append(": ").append(f.description());
                    if (points.size() < ThresholdRule.MAX_POINTS) {
                        points.addAll(f.points().subList(0, Math.min(f.points().size(),
                                ThresholdRule.MAX_POINTS - points.size())));
                    }
                }
            }
            if (childActive) {
                activeChildren++;
            }
        }
        boolean active = mode == Mode.ALL ? activeChildren == children.size() : activeChildren > 0;
        String text = activeChildren + " of " + children.size() + " conditions hold ("
                + mode.name().toLowerCase(java.util.Locale.ROOT) + " required)"
                + (description.length() > 0 ? ": " + description : "");
        return List.of(new Finding(name(), Map.of(), active, activeChildren, text, points));
    }

    /**
     * Builder of {@link CompositeRule}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends AbstractRule.Builder<Builder, CompositeRule> {
        private Mode mode = Mode.ALL;
        private final List<AlertRule> children = new ArrayList<>();

        private Builder(String name) {
            super(name);
        }

        /**
         * Sets the mode (default ALL).
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Adds a child rule.
         *
         * @param child the child
         * @return this builder
         */
        public Builder add(AlertRule child) {
            children.add(Objects.requireNonNull(child, "child"));
            return this;
        }

        @Override
        public CompositeRule build() {
            if (children.isEmpty()) {
                throw invalid("rules", "must have at least one child rule");
            }
            return new CompositeRule(this);
        }
    }
}
