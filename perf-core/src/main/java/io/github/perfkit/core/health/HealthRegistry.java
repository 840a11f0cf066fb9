package io.github.perfkit.core.health;

import io.github.perfkit.core.internal.health.DefaultHealthRegistry;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Named health checks, run in parallel on a small bounded pool of daemon threads
 * ({@code perfkit-health-N}), each bounded by its timeout, with results reused for
 * {@link HealthConfig#cacheTtl()}. Thread-safe.
 *
 * <p>Guarantees: a report never waits much longer than the longest timeout of its checks, whatever the
 * checks do. A check past its timeout is reported {@code DOWN "timed out after …"} and interrupted; while
 * it is still running (it ignored the interrupt) it is not started again but reported
 * {@code DOWN "still running (hung since …)"}, so hung checks occupy at most one worker each. A check
 * that throws is {@code DOWN} with the exception; when all workers and the queue are busy a check is
 * {@code DOWN "rejected"}. No method throws because of a check.
 *
 * <pre>{@code
 * HealthRegistry health = HealthRegistry.create(HealthConfig.ofDefaults(), Clock.SYSTEM);
 * health.register("deadlocks", HealthChecks.deadlocks(), Duration.ofSeconds(1), HealthGroup.LIVENESS);
 * health.register("disk", HealthChecks.diskSpace(Path.of("/var/data"), 100 << 20, 0.1));
 * HealthReport ready = health.check(HealthGroup.READINESS); // 503 when ready.status() == DOWN
 * }</pre>
 */
public interface HealthRegistry extends AutoCloseable {

    /**
     * A new registry.
     *
     * @param config the configuration
     * @param clock the clock for result caching, response times and timestamps (timeouts always use real time)
     * @return a new registry; {@link #close()} it when done
     */
    static HealthRegistry create(HealthConfig config, Clock clock) {
        return new DefaultHealthRegistry(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * A new registry with the default configuration and the system clock.
     *
     * @return a new registry; {@link #close()} it when done
     */
    static HealthRegistry create() {
        return create(HealthConfig.ofDefaults(), Clock.SYSTEM);
    }

    /**
     * Registers a check.
     *
     * @param name unique name: 1 to 64 characters of {@code [a-zA-Z0-9._-]}
     * @param check the check
     * @param timeout how long a run of the check may take, 1 ms to 1 h
     * @param groups the groups the check belongs to; none means {@link HealthGroup#READINESS}
     * @throws IllegalArgumentException if the name is invalid or taken, the timeout out of range, or
     *     {@link HealthConfig#maxChecks()} checks are already registered
     * @throws IllegalStateException if the registry is closed
     */
    void register(String name, HealthCheck check, Duration timeout, HealthGroup... groups);

    /**
     * Registers a readiness check with the default timeout.
     *
     * @param name unique name: 1 to 64 characters of {@code [a-zA-Z0-9._-]}
     * @param check the check
     * @throws IllegalArgumentException if the name is invalid or taken, or too many checks are registered
     * @throws IllegalStateException if the registry is closed
     */
    void register(String name, HealthCheck check);

    /**
     * Removes a check; a run in progress is left to finish.
     *
     * @param name the check's name
     * @return whether a check of that name was registered
     */
    boolean unregister(String name);

    /**
     * The names of the registered checks.
     *
     * @return an immutable snapshot of the names
     */
    Set<String> names();

    /**
     * Runs (or reuses cached results of) the checks of one group.
     *
     * @param group the group
     * @return the report; {@code UP} with no components when the group is empty
     */
    HealthReport check(HealthGroup group);

    /**
     * Runs (or reuses cached results of) all checks.
     *
     * @return the report
     */
    HealthReport checkAll();

    /**
     * Stops the worker threads (interrupting running checks) and waits a bounded time for them to end.
     * Afterwards reports are {@code DOWN "health registry closed"} for every check. Idempotent.
     */
    @Override
    void close();
}
