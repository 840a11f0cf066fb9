package io.github.perfkit.alerts;

/**
 * Severity of an alert, in increasing order.
 *
 * <p>Thread-safe: an immutable enum.
 */
public enum AlertLevel {
    /** Informational, e.g. a recovery notice. */
    INFO,
    /** Something drifts from normal; look at it during working hours. */
    WARNING,
    /** Something is failing; look at it soon. */
    HIGH,
    /** Something is failing badly or for long; act now. */
    CRITICAL
}
