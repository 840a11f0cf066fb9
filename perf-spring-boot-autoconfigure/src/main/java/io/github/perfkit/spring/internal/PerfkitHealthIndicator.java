package io.github.perfkit.spring.internal;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthReport;
import io.github.perfkit.core.health.HealthStatus;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Actuator {@code HealthIndicator} reporting Perfkit's own health checks: their overall status and, per check, its
 * status and message. The {@code spring.*} checks ({@link SpringHealthBridge}: Spring's contributors bridged into
 * Perfkit) are left out, since Actuator reports them itself. Thread-safe: Perfkit's registry runs the checks.
 */
public final class PerfkitHealthIndicator extends AbstractHealthIndicator {

    /** Actuator status for Perfkit's {@link HealthStatus#DEGRADED}. */
    public static final Status DEGRADED = new Status("DEGRADED");

    private final Perf perf;

    /**
     * An indicator over the hub's health registry.
     *
     * @param perf the hub
     */
    public PerfkitHealthIndicator(Perf perf) {
        super("Perfkit health check failed");
        this.perf = Objects.requireNonNull(perf, "perf");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        HealthReport report = perf.health().checkAll();
        builder.status(status(HealthContributorSync.overall(report)));
        builder.withDetails(HealthContributorSync.details(report));
    }

    static Status status(HealthStatus status) {
        return switch (status) {
            case UP -> Status.UP;
            case DEGRADED -> DEGRADED;
            case DOWN -> Status.DOWN;
        };
    }
}
