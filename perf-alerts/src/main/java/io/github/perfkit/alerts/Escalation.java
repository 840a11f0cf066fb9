package io.github.perfkit.alerts;

import java.util.Objects;

/**
 * Raises a firing alert to another level after a number of consecutive failing evaluations, e.g.
 * a rule at {@link AlertLevel#HIGH} with {@code Escalation.after(3, CRITICAL)} is HIGH on the first
 * failure and CRITICAL from the third consecutive one.
 *
 * <p>Thread-safe: an immutable record.
 *
 * @param consecutiveFailures the number of consecutive failing evaluations (at least 2)
 * @param level the level to escalate to
 */
public record Escalation(int consecutiveFailures, AlertLevel level) {

    /**
     * Validates and copies the fields.
     *
     * @param consecutiveFailures the number of consecutive failing evaluations (at least 2)
     * @param level the level to escalate to
     * @throws IllegalArgumentException if a field is invalid
     */
    public Escalation {
        Objects.requireNonNull(level, "level");
        if (consecutiveFailures < 2) {
            throw new IllegalArgumentException("consecutiveFailures must be at least 2, was " + consecutiveFailures);
        }
    }

    /**
     * Creates an escalation.
     *
     * @param consecutiveFailures the number of consecutive failing evaluations (at least 2)
     * @param level the level to escalate to
     * @return the escalation
     */
    public static Escalation after(int consecutiveFailures, AlertLevel level) {
        return new Escalation(consecutiveFailures, level);
    }
}
