package io.github.perfkit.core.internal.health;

import io.github.perfkit.core.health.HealthCheck;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.core.health.HealthStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Implementations of the built-in checks behind {@link io.github.perfkit.core.health.HealthChecks};
 * arguments are validated there. Stateless; the returned checks are thread-safe.
 */
public final class BuiltInChecks {

    /** Most thread names listed in a deadlock message. */
    static final int MAX_DEADLOCK_NAMES = 16;
    /** Queue fill ratio from which an executor is {@code DEGRADED}. */
    static final double QUEUE_DEGRADED_RATIO = 0.8;

    private BuiltInChecks() {}

    /**
     * @param path a path on the watched file store
     * @param minFreeBytes usable bytes below which the check is DOWN
     * @param degradedBelowFreeRatio usable fraction below which the check is DEGRADED
     * @return the check
     */
    public static HealthCheck diskSpace(Path path, long minFreeBytes, double degradedBelowFreeRatio) {
        return () -> {
            FileStore store = Files.getFileStore(path);
            long total = store.getTotalSpace();
            long free = store.getUsableSpace();
            double ratio = total > 0 ? (double) free / total : 0.0;
            HealthResult r;
            if (free < minFreeBytes) {
                r = HealthResult.down("free space " + free + " B below minimum " + minFreeBytes + " B");
            } else if (ratio < degradedBelowFreeRatio) {
                r = HealthResult.degraded(String.format(Locale.ROOT, "free space %.1f%% below %.1f%%",
                        ratio * 100, degradedBelowFreeRatio * 100));
            } else {
                r = HealthResult.up();
            }
            return r.withDetail("path", path.toString()).withDetail("total", total).withDetail("free", free)
                    .withDetail("freeRatio", ratio);
        };
    }

    /**
     * @param degradedAbove ratio above which the check is DEGRADED
     * @param downAbove ratio above which the check is DOWN
     * @return the check
     */
    public static HealthCheck heap(double degradedAbove, double downAbove) {
        // The platform MXBeans are looked up on the first run, not when the hub is built (start-up cost).
        return () -> {
            MemoryPoolMXBean oldGen = findOldGen();
            long used = -1;
            long max = -1;
            String source = "heap";
            if (oldGen != null) {
                MemoryUsage afterGc = oldGen.getCollectionUsage();
                // Zero means no collection of that pool yet; current usage is the better estimate then.
                if (afterGc != null && afterGc.getUsed() > 0) {
                    used = afterGc.getUsed();
                    max = oldGen.getUsage().getMax();
                    source = "after-gc:" + oldGen.getName();
                }
            }
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            if (used < 0) {
                used = heap.getUsed();
            }
            if (max <= 0) {
                max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
            }
            double ratio = max > 0 ? (double) used / max : 0.0;
            String text = String.format(Locale.ROOT, "heap used %.1f%% of max", ratio * 100);
            HealthResult r;
            if (ratio > downAbove) {
                r = HealthResult.down(text + String.format(Locale.ROOT, " (down above %.1f%%)", downAbove * 100));
            } else if (ratio > degradedAbove) {
                r = HealthResult.degraded(text + String.format(Locale.ROOT, " (degraded above %.1f%%)", degradedAbove * 100));
            } else {
                r = HealthResult.up(text);
            }
            return r.withDetail("used", used).withDetail("max", max).withDetail("ratio", ratio).withDetail("source", source);
        };
    }

    private static @Nullable MemoryPoolMXBean findOldGen() {
        List<MemoryPoolMXBean> heapPools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP || !pool.isCollectionUsageThresholdSupported()) {
                continue;
            }
            String name = pool.getName().toLowerCase(Locale.ROOT);
            if (name.contains("old") || name.contains("tenured")) {
                return pool;
            }
            heapPools.add(pool);
        }
        // Single-pool collectors (ZGC, Shenandoah) have no generation names.
        return heapPools.size() == 1 ? heapPools.get(0) : null;
    }

    /** @return the deadlock check */
    public static HealthCheck deadlocks() {
        // The platform MXBeans are looked up on the first run, not when the hub is built (start-up cost).
        return () -> {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            boolean synchronizers = threads.isSynchronizerUsageSupported();
            long[] ids = synchronizers ? threads.findDeadlockedThreads() : threads.findMonitorDeadlockedThreads();
            if (ids == null || ids.length == 0) {
                return HealthResult.up();
            }
            List<String> names = new ArrayList<>();
            StringBuilder message = new StringBuilder().append(ids.length).append(" deadlocked threads: ");
            for (ThreadInfo info : threads.getThreadInfo(ids, 0)) {
                if (info == null || names.size() >= MAX_DEADLOCK_NAMES) {
                    continue;
                }
                if (!names.isEmpty()) {
                    message.append(", ");
                }
                names.add(info.getThreadName());
                message.append('"').append(info.getThreadName()).append("\" waiting for ").append(info.getLockName())
                        .append(" held by \"").append(info.getLockOwnerName()).append('"');
            }
            return HealthResult.down(message.toString()).withDetail("threads", List.copyOf(names));
        };
    }

    /**
     * @param name the executor's name
     * @param executor the executor
     * @return the check
     */
    public static HealthCheck executor(String name, ThreadPoolExecutor executor) {
        return () -> {
            BlockingQueue<Runnable> queue = executor.getQueue();
            int queued = queue.size();
            int remaining = queue.remainingCapacity();
            long capacity = remaining == Integer.MAX_VALUE ? -1 : (long) queued + remaining;
            int active = executor.getActiveCount();
            int max = executor.getMaximumPoolSize();
            HealthResult r;
            if (executor.isShutdown()) {
                r = HealthResult.down("executor '" + name + "' is " + (executor.isTerminated() ? "terminated" : "shut down"));
            } else if (capacity > 0 && queued >= QUEUE_DEGRADED_RATIO * capacity) {
                r = HealthResult.degraded("executor '" + name + "' queue " + queued + " of " + capacity + " full");
            } else if (active >= max) {
                r = HealthResult.degraded("executor '" + name + "' has all " + max + " threads busy");
            } else {
                r = HealthResult.up();
            }
            return r.withDetail("active", active).withDetail("poolSize", executor.getPoolSize())
                    .withDetail("maxPoolSize", max).withDetail("queued", queued).withDetail("queueCapacity", capacity)
                    .withDetail("completed", executor.getCompletedTaskCount());
        };
    }

    /**
     * @param jobName the job's name
     * @param sinceLastSuccess time since the job's last success
     * @param maxAge the oldest acceptable success
     * @return the check
     */
    public static HealthCheck staleness(String jobName, Supplier<Duration> sinceLastSuccess, Duration maxAge) {
        return () -> {
            Duration age = sinceLastSuccess.get();
            HealthResult r = age.compareTo(maxAge) > 0
                    ? HealthResult.down("job '" + jobName + "' last succeeded " + age.toMillis() + " ms ago (max "
                            + maxAge.toMillis() + " ms)")
                    : HealthResult.of(HealthStatus.UP, "");
            return r.withDetail("job", jobName).withDetail("sinceLastSuccess", age.toMillis())
                    .withDetail("maxAge", maxAge.toMillis());
        };
    }
}
