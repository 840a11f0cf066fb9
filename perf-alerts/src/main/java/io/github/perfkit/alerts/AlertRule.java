package io.github.perfkit.alerts;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A rule the {@link AlertEngine} evaluates every tick. Built-in rules: {@link ThresholdRule},
 * {@link RateOfChangeRule}, {@link AbsenceRule}, {@link CompositeRule} and the detectors in
 * {@code io.github.perfkit.alerts.detect}; users may implement their own.
 *
 * <p>Thread-safety: implementations must be safe to evaluate from the engine's evaluation thread
 * while other threads read their configuration; the built-in ones are immutable.
 */
public interface AlertRule {

    /** @return the rule name, unique within an engine */
    String name();

    /** @return the level of a firing alert (before escalation) */
    AlertLevel level();

    /** @return how long the condition must hold before the alert fires; zero fires at once */
    default Duration forDuration() {
        return Duration.ZERO;
    }

    /** @return the escalation, or null for none */
    default @Nullable Escalation escalation() {
        return null;
    }

    /** @return suggested actions shown with the alert */
    default List<String> suggestedActions() {
        return List.of();
    }

    /**
     * Evaluates the rule. Must not block; the engine catches and counts exceptions.
     *
     * @param context the evaluation context
     * @return one finding per subject the rule looked at (active or not; the engine reads only the
     *     active ones, so inactive findings may leave description and points empty)
     */
    List<Finding> evaluate(RuleContext context);
}
