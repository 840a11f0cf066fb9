package io.github.perfkit.core.health;

import java.util.Objects;

/**
 * Status of one health check or of an aggregate of checks, ordered from best to worst. Immutable
 * and thread-safe.
 */
public enum HealthStatus {
    /** Working as expected. */
    UP,
    /** Working, but close to a limit or slower than expected; not a reason to stop routing traffic. */
    DEGRADED,
    /** Not working; a readiness endpoint answers 503. */
    DOWN;

    /**
     * The worse of this status and {@code other}.
     *
     * @param other the other status
     * @return {@code DOWN} if either is {@code DOWN}, else {@code DEGRADED} if either is, else {@code UP}
     */
    public HealthStatus worst(HealthStatus other) {
        Objects.requireNonNull(other, "other");
        return compareTo(other) >= 0 ? this : other;
    }

    /**
     * Aggregates statuses: any {@code DOWN} gives {@code DOWN}, else any {@code DEGRADED} gives
     * {@code DEGRADED}, else {@code UP}; no statuses at all give {@code UP}.
     *
     * @param statuses the statuses to aggregate
     * @return the aggregate status
     */
    public static HealthStatus aggregate(Iterable<HealthStatus> statuses) {
        Objects.requireNonNull(statuses, "statuses");
        HealthStatus result = UP;
        for (HealthStatus s : statuses) {
            result = result.worst(Objects.requireNonNull(s, "status"));
            if (result == DOWN) {
                break;
            }
        }
        return result;
    }
}
