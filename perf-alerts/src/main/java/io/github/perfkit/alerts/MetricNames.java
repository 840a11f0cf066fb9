package io.github.perfkit.alerts;

/**
 * Names of the meters perf-alerts publishes (when the engine is given a registry).
 *
 * <p>Thread-safe: constants only.
 */
public final class MetricNames {

    /** Active (pending or firing) alerts, tag {@code level}. */
    public static final String ACTIVE = "perfkit.alerts.active";
    /** Evaluations run. */
    public static final String EVALUATIONS = "perfkit.alerts.evaluations";
    /** Rule evaluations that threw. */
    public static final String RULE_ERRORS = "perfkit.alerts.rule.errors";
    /** Notifications delivered, tag {@code notifier}. */
    public static final String NOTIFICATIONS_SENT = "perfkit.alerts.notifications.sent";
    /** Notifications given up after the last attempt, tag {@code notifier}. */
    public static final String NOTIFICATIONS_FAILED = "perfkit.alerts.notifications.failed";
    /** Notifications dropped because a notifier's queue was full, tag {@code notifier}. */
    public static final String NOTIFICATIONS_DROPPED = "perfkit.alerts.notifications.dropped";

    private MetricNames() {
    }
}
