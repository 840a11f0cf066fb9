package io.github.perfkit.core.health;

/**
 * A health check, registered with a {@link HealthRegistry} under a name. Implementations must be
 * thread-safe only in the sense that the registry never runs two copies of one registered check at
 * once; they may run on any of the registry's worker threads.
 *
 * <p>A check should be quick and should respond to interruption: the registry interrupts a check once
 * its timeout has passed. A check that throws is reported {@link HealthStatus#DOWN} with the exception.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Runs the check.
     *
     * @return the result; its response time is filled in by the registry
     * @throws Exception if the check fails; reported as {@link HealthStatus#DOWN}
     */
    HealthResult check() throws Exception;
}
