package io.github.perfkit.core.internal.health;

import io.github.perfkit.core.health.HealthCheck;
import io.github.perfkit.core.health.HealthConfig;
import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.health.HealthRegistry;
import io.github.perfkit.core.health.HealthReport;
import io.github.perfkit.core.health.HealthResult;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HealthRegistry}: a bounded {@link ThreadPoolExecutor} of daemon threads, one in-flight run
 * per check at most, results cached for the configured TTL. Thread-safe.
 *
 * <p>Each check has at most one run in flight. A caller that finds a run younger than the check's
 * timeout joins it (so concurrent scrapes share one run); a run older than its timeout that is still
 * going is reported as hung instead of being started again, which bounds the workers hung checks can
 * hold to one each. The caller never waits longer than the check's timeout counted from the start of
 * the run, whether the run is queued or running. Timeouts use real time ({@link System#nanoTime()}),
 * because waiting is real; the injected clock drives caching, response times and timestamps.
 */
public final class DefaultHealthRegistry implements HealthRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultHealthRegistry.class);
    private static final int MAX_NAME_LENGTH = 64;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final HealthConfig config;
    private final Clock clock;
    private final long ttlNanos;
    private final ThreadPoolExecutor executor;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile boolean closed;

    /**
     * Creates a registry and its (lazily started) worker threads.
     *
     * @param config the configuration
     * @param clock the clock for caching, response times and timestamps
     */
    public DefaultHealthRegistry(HealthConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttlNanos = config.cacheTtl().toNanos();
        int threads = config.maxConcurrentChecks();
        // Core threads time out, so an idle registry holds no threads; AbortPolicy turns saturation into
        // a DOWN "rejected" result instead of running a check on the caller's (request) thread.
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()), new WorkerFactory(), new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public void register(String name, HealthCheck check, Duration timeout, HealthGroup... groups) {
        validateName(name);
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(groups, "groups");
        if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout of health check '" + name + "' must be in [1ms, 1h], was " + timeout);
        }
        Set<HealthGroup> groupSet = EnumSet.noneOf(HealthGroup.class);
        for (HealthGroup g : groups) {
            groupSet.add(Objects.requireNonNull(g, "group"));
        }
        if (groupSet.isEmpty()) {
            groupSet.add(HealthGroup.READINESS);
        }
        Entry entry = new Entry(name, check, timeout, Set.copyOf(groupSet));
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("health registry is closed; cannot register '" + name + "'");
            }
            if (entries.containsKey(name)) {
                throw new IllegalArgumentException("a health check named '" + name + "' is already registered");
            }
            if (entries.size() >= config.maxChecks()) {
                throw new IllegalArgumentException("cannot register health check '" + name + "': maxChecks ("
                        + config.maxChecks() + ") checks are already registered");
            }
            entries.put(name, entry);
        }
    }

    @Override
    public void register(String name, HealthCheck check) {
        register(name, check, config.defaultTimeout());
    }

    @Override
    public boolean unregister(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (lock) {
            return entries.remove(name) != null;
        }
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(entries.keySet());
    }

    @Override
    public HealthReport check(HealthGroup group) {
        Objects.requireNonNull(group, "group");
        return report(e -> e.groups.contains(group));
    }

    @Override
    public HealthReport checkAll() {
        return report(e -> true);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("Health checks still running {} ms after close (they ignore interruption); "
                        + "their daemon threads are left behind", CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HealthReport report(Predicate<Entry> filter) {
        long start = clock.monotonicTime();
        Instant timestamp = Instant.ofEpochMilli(clock.wallTime());
        List<Entry> selected = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (filter.test(e)) {
                selected.add(e);
            }
        }
        Map<String, HealthResult> results = new LinkedHashMap<>();
        if (closed) {
            for (Entry e : selected) {
                results.put(e.name, HealthResult.down("health registry closed"));
            }
        } else {
            // Start every run first, then wait: checks run in parallel, so the report takes about as
            // long as its slowest check (bounded by that check's timeout), not the sum.
            Map<Entry, Run> pending = new LinkedHashMap<>();
            for (Entry e : selected) {
                Object outcome = obtain(e);
                if (outcome instanceof HealthResult r) {
                    results.put(e.name, r);
                } else {
                    pending.put(e, (Run) outcome);
                }
            }
            for (Map.Entry<Entry, Run> p : pending.entrySet()) {
                results.put(p.getKey().name, await(p.getKey(), p.getValue()));
            }
        }
        return HealthReport.of(results, timestamp, Duration.ofNanos(Math.max(0, clock.monotonicTime() - start)));
    }

    /** A cached or immediate result, or the run to wait for. */
    private Object obtain(Entry entry) {
        Cached cached = entry.cached;
        if (cached != null && ttlNanos > 0 && clock.monotonicTime() - cached.atNanos < ttlNanos) {
            return cached.result;
        }
        while (true) {
            Run run = entry.current.get();
            if (run != null && run.active()) {
                long age = System.nanoTime() - run.startNanos;
                if (age < entry.timeoutNanos) {
                    return run;
                }
                Instant since = Instant.ofEpochMilli(run.startWallMillis);
                return HealthResult.down("still running (hung since " + since + ")")
                        .withDetail("hungSince", since.toString())
                        .withResponseTime(Duration.ofNanos(age));
            }
            Run fresh = new Run(entry);
            if (!entry.current.compareAndSet(run, fresh)) {
                continue; // another caller started a run; join it
            }
            try {
                executor.execute(fresh.task);
                return fresh;
            } catch (RejectedExecutionException e) {
                fresh.state.set(Run.FINISHED);
                HealthResult r = HealthResult.down("rejected: all " + config.maxConcurrentChecks()
                        + " health workers busy and queue full (" + config.queueCapacity() + ")");
                logOnce(entry, r.message(), null);
                return cache(entry, r);
            }
        }
    }

    private HealthResult await(Entry entry, Run run) {
        long remaining = run.startNanos + entry.timeoutNanos - System.nanoTime();
        try {
            return cache(entry, run.task.get(Math.max(0, remaining), TimeUnit.NANOSECONDS));
        } catch (TimeoutException | CancellationException e) {
            boolean neverStarted = run.abandon(executor);
            HealthResult r = HealthResult.down("timed out after " + format(entry.timeout)
                            + (neverStarted ? " waiting for a health worker" : ""))
                    .withResponseTime(Duration.ofNanos(Math.max(0, System.nanoTime() - run.startNanos)));
            logOnce(entry, r.message(), null);
            return cache(entry, r);
        } catch (ExecutionException e) {
            // Run.call catches everything; kept for completeness.
            return cache(entry, failed(entry, e.getCause() == null ? e : e.getCause(), Duration.ZERO));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthResult.down("interrupted while waiting for the check");
        }
    }

    private HealthResult cache(Entry entry, HealthResult result) {
        entry.cached = new Cached(result, clock.monotonicTime());
        return result;
    }

    private HealthResult failed(Entry entry, Throwable t, Duration responseTime) {
        String message = t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
        logOnce(entry, message, t);
        return HealthResult.down(message).withDetail("exception", t.getClass().getName()).withResponseTime(responseTime);
    }

    private static void logOnce(Entry entry, String message, @Nullable Throwable t) {
        if (entry.failureLogged.compareAndSet(false, true)) {
            LOG.warn("Health check '{}' is DOWN: {} (logged once per check)", entry.name, message, t);
        } else {
            LOG.debug("Health check '{}' is DOWN: {}", entry.name, message);
        }
    }

    private static void validateName(@Nullable String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("health check name must not be blank");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("health check name must be at most " + MAX_NAME_LENGTH
                    + " characters, was " + name.length() + ": '" + name.substring(0, 16) + "...'");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "health check name must contain only [a-zA-Z0-9._-], was '" + name + "'");
        }
    }

    static String format(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    private record Cached(HealthResult result, long atNanos) {}

    private static final class Entry {
        final String name;
        final HealthCheck check;
        final Duration timeout;
        final long timeoutNanos;
        final Set<HealthGroup> groups;
        final AtomicReference<@Nullable Run> current = new AtomicReference<>();
        final AtomicBoolean failureLogged = new AtomicBoolean();
        volatile @Nullable Cached cached;

        Entry(String name, HealthCheck check, Duration timeout, Set<HealthGroup> groups) {
            this.name = name;
            this.check = check;
            this.timeout = timeout;
            this.timeoutNanos = timeout.toNanos();
            this.groups = groups;
        }
    }

    /** One run of one check; its state says whether a worker may still be busy with it. */
    private final class Run implements Callable<HealthResult> {
        static final int QUEUED = 0;
        static final int RUNNING = 1;
        static final int FINISHED = 2;

        final Entry entry;
        final long startNanos = System.nanoTime();
        final long startWallMillis = clock.wallTime();
        final AtomicInteger state = new AtomicInteger(QUEUED);
        final FutureTask<HealthResult> task = new FutureTask<>(this);

        Run(Entry entry) {
            this.entry = entry;
        }

        boolean active() {
            return state.get() != FINISHED;
        }

        @Override
        public HealthResult call() {
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                throw new CancellationException("abandoned while queued");
            }
            long t0 = clock.monotonicTime();
            try {
                HealthResult r = entry.check.check();
                Duration took = Duration.ofNanos(Math.max(0, clock.monotonicTime() - t0));
                return r == null ? HealthResult.down("check returned null").withResponseTime(took) : r.withResponseTime(took);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HealthResult.down("interrupted");
            } catch (Throwable t) { // a check must never take a worker or the caller down with it
                return failed(entry, t, Duration.ofNanos(Math.max(0, clock.monotonicTime() - t0)));
            } finally {
                state.set(FINISHED);
            }
        }

        /**
         * Gives up on this run after its timeout: a queued run is removed from the queue, a running
         * one is interrupted (once).
         *
         * @return whether the run never started
         */
        boolean abandon(ThreadPoolExecutor pool) {
            if (state.compareAndSet(QUEUED, FINISHED)) {
                task.cancel(false);
                pool.remove(task);
                return true;
            }
            task.cancel(true);
            return false;
        }
    }

    private static final class WorkerFactory implements ThreadFactory {
        private final AtomicInteger seq = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "perfkit-health-" + seq.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
