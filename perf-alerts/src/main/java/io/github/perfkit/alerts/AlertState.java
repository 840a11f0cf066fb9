package io.github.perfkit.alerts;

/**
 * Lifecycle state of an alert: {@code PENDING} (condition true, waiting for the rule's for-duration),
 * {@code FIRING}, then {@code RESOLVED}.
 *
 * <p>Thread-safe: an immutable enum.
 */
public enum AlertState {
    /** The condition holds but not yet for the rule's for-duration. */
    PENDING,
    /** The condition held for the for-duration; notifications are sent. */
    FIRING,
    /** The condition no longer holds. */
    RESOLVED
}
