package io.github.perfkit.core.health;

import io.github.perfkit.core.internal.health.BuiltInChecks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * Factories of built-in health checks. The returned checks are thread-safe; this class is stateless.
 *
 * <pre>{@code
 * registry.register("disk", HealthChecks.diskSpace(Path.of("/var/data"), 500L << 20, 0.10));
 * registry.register("heap", HealthChecks.heap(0.85, 0.95));
 * registry.register("deadlocks", HealthChecks.deadlocks(), Duration.ofSeconds(1), HealthGroup.LIVENESS);
 * registry.register("executor.orders", HealthChecks.executor("orders", ordersPool));
 * registry.register("tick", HealthChecks.scheduler("collect", job::timeSinceLastSuccess, Duration.ofSeconds(10)));
 * }</pre>
 */
public final class HealthChecks {

    private HealthChecks() {}

    /**
     * Free space of the file store holding {@code path}: {@code DOWN} when fewer than {@code minFreeBytes}
     * are usable, {@code DEGRADED} when the usable fraction of the total is below
     * {@code degradedBelowFreeRatio}, else {@code UP}. Details: {@code path}, {@code total}, {@code free}
     * (usable bytes), {@code freeRatio}.
     *
     * @param path a path on the file store to watch; a missing path makes the check throw (so a registry reports it {@code DOWN})
     * @param minFreeBytes usable bytes below which the check is {@code DOWN}, not negative
     * @param degradedBelowFreeRatio usable fraction in [0, 1] below which the check is {@code DEGRADED}
     * @return the check
     */
    public static HealthCheck diskSpace(Path path, long minFreeBytes, double degradedBelowFreeRatio) {
        Objects.requireNonNull(path, "path");
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minFreeBytes must not be negative, was " + minFreeBytes);
        }
        ratio(degradedBelowFreeRatio, "degradedBelowFreeRatio");
        return BuiltInChecks.diskSpace(path, minFreeBytes, degradedBelowFreeRatio);
    }

    /**
     * Heap used after the last collection, as a fraction of the maximum: {@code DOWN} above
     * {@code downAbove}, {@code DEGRADED} above {@code degradedAbove}, else {@code UP}. Reads the old
     * generation's usage after its last collection when the collector reports it (what is left after GC
     * is what matters; current usage includes garbage), else the current heap usage. Details:
     * {@code used}, {@code max}, {@code ratio}, {@code source}.
     *
     * @param degradedAbove fraction in [0, 1] above which the check is {@code DEGRADED}
     * @param downAbove fraction in [0, 1], at least {@code degradedAbove}, above which the check is {@code DOWN}
     * @return the check
     */
    public static HealthCheck heap(double degradedAbove, double downAbove) {
        ratio(degradedAbove, "degradedAbove");
        ratio(downAbove, "downAbove");
        if (downAbove < degradedAbove) {
            throw new IllegalArgumentException(
                    "downAbove (" + downAbove + ") must not be below degradedAbove (" + degradedAbove + ")");
        }
        return BuiltInChecks.heap(degradedAbove, downAbove);
    }

    /**
     * Deadlocked threads (monitors and ownable synchronizers such as {@code ReentrantLock}): {@code DOWN}
     * naming the threads when there are any, else {@code UP}. A good {@link HealthGroup#LIVENESS} check.
     *
     * @return the check
     */
    public static HealthCheck deadlocks() {
        return BuiltInChecks.deadlocks();
    }

    /**
     * A thread pool: {@code DOWN} when shut down, {@code DEGRADED} when all of its maximum threads are busy
     * or its queue is at least 80 % full, else {@code UP}. Details: {@code active}, {@code poolSize},
     * {@code maxPoolSize}, {@code queued}, {@code queueCapacity}, {@code completed}.
     *
     * @param name the executor's name, used in messages
     * @param executor the executor
     * @return the check
     */
    public static HealthCheck executor(String name, ThreadPoolExecutor executor) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executor, "executor");
        return BuiltInChecks.executor(name, executor);
    }

    /**
     * A periodic job: {@code DOWN} when its last successful run is older than {@code maxAge}, else
     * {@code UP}. Details: {@code job}, {@code sinceLastSuccess}, {@code maxAge} (milliseconds).
     *
     * @param jobName the job's name, used in messages
     * @param timeSinceLastSuccess time since the job's last successful run (or since it was scheduled,
     *     if it never succeeded)
     * @param maxAge the oldest acceptable last success, positive
     * @return the check
     */
    public static HealthCheck scheduler(String jobName, Supplier<Duration> timeSinceLastSuccess, Duration maxAge) {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(timeSinceLastSuccess, "timeSinceLastSuccess");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
        return BuiltInChecks.staleness(jobName, timeSinceLastSuccess, maxAge);
    }

    private static void ratio(double value, String name) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }
}
