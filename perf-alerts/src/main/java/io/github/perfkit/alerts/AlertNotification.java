package io.github.perfkit.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The events of one evaluation that are to be notified, grouped into one message.
 *
 * <p>Thread-safe: an immutable record.
 *
 * @param events the events, never empty
 * @param at the evaluation time
 */
public record AlertNotification(List<AlertEvent> events, Instant at) {

    /**
     * Validates and copies the fields.
     *
     * @param events the events, never empty
     * @param at the evaluation time
     * @throws IllegalArgumentException if a field is invalid
     */
    public AlertNotification {
        events = List.copyOf(events);
        Objects.requireNonNull(at, "at");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a notification needs at least one event");
        }
    }

    /** @return the highest level among the events */
    public AlertLevel maxLevel() {
        AlertLevel max = AlertLevel.INFO;
        for (AlertEvent e : events) {
            if (e.level().compareTo(max) > 0) {
                max = e.level();
            }
        }
        return max;
    }
}
