package io.github.perfkit.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One transition or notification of an alert: the incident {@code id} stays the same from pending to
 * resolved; {@code kind} says what happened.
 *
 * <p>Thread-safe: an immutable record.
 *
 * @param id the incident id, stable across the incident's events
 * @param rule the rule name
 * @param subject the subject (dedup key together with the rule)
 * @param labels labels of the alert: the subject's tags plus {@code alertname}, {@code subject}, {@code level}
 *     (this event's level) and {@code baseLevel} (the rule's level before escalation)
 * @param level the level (INFO for a recovery notice)
 * @param state the alert state after this event
 * @param kind what happened
 * @param title a one-line title
 * @param description what was measured
 * @param value the measured value
 * @param firedBy the samples that led to it
 * @param suggestedActions suggested actions
 * @param startedAt when the condition was first seen
 * @param firingAt when it started firing, null if it never did
 * @param resolvedAt when it resolved, null if not resolved
 * @param at when this event happened
 * @param consecutiveFailures how many consecutive evaluations found the condition
 * @param acknowledgedBy who acknowledged the alert, null if nobody
 */
public record AlertEvent(String id, String rule, String subject, Map<String, String> labels, AlertLevel level,
                         AlertState state, Kind kind, String title, String description, double value,
                         List<DataPoint> firedBy, List<String> suggestedActions, Instant startedAt,
                         @Nullable Instant firingAt, @Nullable Instant resolvedAt, Instant at,
                         int consecutiveFailures, @Nullable String acknowledgedBy) {

    /** What an event reports. */
    public enum Kind {
        /** The condition was seen; waiting for the for-duration (not notified). */
        PENDING,
        /** The alert started firing. */
        FIRING,
        /** Still firing after the repeat interval. */
        REPEAT,
        /** The level was raised by the rule's escalation. */
        ESCALATED,
        /** The alert fires and resolves too often: further notifications are held back. */
        FLAPPING,
        /** The condition no longer holds (a recovery notice, level INFO). */
        RESOLVED,
        /** The current state of an active alert, as listed by {@link AlertEngine#activeAlerts()}. */
        ACTIVE
    }

    /**
     * Validates and copies the fields.
     *
     * @param id the incident id, stable across the incident's events
     * @param rule the rule name
     * @param subject the subject (dedup key together with the rule)
     * @param labels labels of the alert: the subject's tags plus {@code alertname}, {@code subject}, {@code level} (this event's level) and {@code baseLevel} (the rule's level before escalation)
     * @param level the level (INFO for a recovery notice)
     * @param state the alert state after this event
     * @param kind what happened
     * @param title a one-line title
     * @param description what was measured
     * @param value the measured value
     * @param firedBy the samples that led to it
     * @param suggestedActions suggested actions
     * @param startedAt when the condition was first seen
     * @param firingAt when it started firing, null if it never did
     * @param resolvedAt when it resolved, null if not resolved
     * @param at when this event happened
     * @param consecutiveFailures how many consecutive evaluations found the condition
     * @param acknowledgedBy who acknowledged the alert, null if nobody
     * @throws IllegalArgumentException if a field is invalid
     */
    public AlertEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(kind, "kind");
        labels = Map.copyOf(labels);
        firedBy = List.copyOf(firedBy);
        suggestedActions = List.copyOf(suggestedActions);
    }
}
