package io.github.perfkit.spring.internal.boot4;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthReport;
import io.github.perfkit.core.health.HealthStatus;
import io.github.perfkit.spring.internal.HealthContributorSync;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Spring Boot 4 Actuator {@code HealthIndicator} reporting Perfkit's own health checks: their overall status and, per
 * check, its status and message (as the Boot 3 {@code PerfkitHealthIndicator} does). The {@code spring.*} checks
 * ({@link Boot4SpringHealthBridge}: Spring's contributors bridged into Perfkit) are left out, since Actuator reports
 * them itself.
 *
 * <p>Thread-safe: Perfkit's registry runs the checks.
 */
public final class Boot4PerfkitHealthIndicator extends AbstractHealthIndicator {

    /** Actuator status for Perfkit's {@link HealthStatus#DEGRADED}. */
    public static final Status DEGRADED = new Status("DEGRADED");

    private final Perf perf;

    /**
     * An indicator over the hub's health registry.
     *
     * @param perf the hub
     */
    public Boot4PerfkitHealthIndicator(Perf perf) {
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
