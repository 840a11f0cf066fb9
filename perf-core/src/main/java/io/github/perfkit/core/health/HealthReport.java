package io.github.perfkit.core.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The results of a set of health checks at one moment, with their aggregate status. Immutable and
 * thread-safe.
 *
 * @param status the aggregate status ({@link HealthStatus#aggregate(Iterable)} of the components)
 * @param components the result of each check by name, sorted by name
 * @param timestamp when the report was made
 * @param duration how long making the report took
 */
public record HealthReport(HealthStatus status, Map<String, HealthResult> components, Instant timestamp,
        Duration duration) {

    /**
     * Validates and copies the components.
     *
     * @param status the aggregate status
     * @param components the results by check name; copied and sorted by name
     * @param timestamp when the report was made
     * @param duration how long making the report took
     */
    public HealthReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(components, "components");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(duration, "duration");
        components = Collections.unmodifiableMap(new TreeMap<>(components));
    }

    /**
     * A report whose status is aggregated from its components.
     *
     * @param components the results by check name
     * @param timestamp when the report was made
     * @param duration how long making the report took
     * @return the report
     */
    public static HealthReport of(Map<String, HealthResult> components, Instant timestamp, Duration duration) {
        Objects.requireNonNull(components, "components");
        var statuses = new ArrayList<HealthStatus>(components.size());
        for (HealthResult r : components.values()) {
            statuses.add(r.status());
        }
        return new HealthReport(HealthStatus.aggregate(statuses), components, timestamp, duration);
    }
}
