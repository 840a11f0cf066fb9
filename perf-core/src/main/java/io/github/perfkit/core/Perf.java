package io.github.perfkit.core;

import io.github.perfkit.core.findings.ContinuousDiagnosis;
import io.github.perfkit.core.findings.DiagnosisConfig;
import io.github.perfkit.core.health.HealthChecks;
import io.github.perfkit.core.health.HealthConfig;
import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.health.HealthRegistry;
import io.github.perfkit.core.history.HistoryConfig;
import io.github.perfkit.core.history.MetricsHistory;
import io.github.perfkit.core.internal.schedule.TickScheduler;
import io.github.perfkit.core.internal.tracking.DefaultPerformanceTracker;
import io.github.perfkit.core.metrics.CardinalityGuard;
import io.github.perfkit.core.metrics.JvmMetrics;
import io.github.perfkit.core.metrics.SystemMetrics;
import io.github.perfkit.core.profiling.JfrProfiler;
import io.github.perfkit.core.profiling.ProfilingConfig;
import io.github.perfkit.core.spi.StatusContributor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Perfkit hub: one per application. It owns the Micrometer registry it publishes to, the clock,
 * the tracker and profiler, the system and JVM collectors, the metrics history, the health registry,
 * the status contributors, the findings of the continuous diagnosis and the collection tick that
 * drives them.
 *
 * <pre>{@code
 * Perf perf = Perf.builder()
 *         .registry(meterRegistry)      // optional: a SimpleMeterRegistry otherwise
 *         .build();                     // starts the collection tick (default every second)
 * try (var scope = perf.tracker().start("checkout")) {
 *     checkout(cart);
 * }
 * perf.history().latest("perfkit.system.cpu.usage", Tags.empty());
 * perf.health().check(HealthGroup.READINESS).status();
 * perf.close();                         // at shutdown: no Perfkit thread is left behind
 * }</pre>
 *
 * <p>Each tick drains the tracker's buffers and advances its windows, refreshes the collectors,
 * expires idle meters when a {@link CardinalityGuard} with expiry was configured, and samples the
 * registry into the history. The tick runs on one daemon thread ({@code perfkit-tick}); a slow tick
 * delays the next one rather than overlapping it, and a failing step is logged and does not stop the
 * other steps or later ticks.
 *
 * <p>Built-in health checks: {@code deadlocks} and {@code tick} (the collection tick ran recently)
 * in the liveness group; {@code heap} (above 90 % of the maximum after GC degraded, above 98 % down)
 * and {@code disk} (the working directory's file store: under 10 % free degraded, under 100 MB down)
 * in the readiness group.
 *
 * <p>Thread-safe.
 */
public final class Perf implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Perf.class);
    private static final Pattern SECTION_NAME = Pattern.compile("[a-z0-9._-]{1,64}");
    /** Bound on registered status contributors. */
    static final int MAX_CONTRIBUTORS = 64;

    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration tickInterval;
    private final DefaultPerformanceTracker tracker;
    private final boolean wantSystemMetrics;
    private final boolean wantJvmMetrics;
    /** Set once, by the constructor or (deferred collectors) the first tick, under {@link #tickLock}. */
    private volatile @Nullable SystemMetrics systemMetrics;
    private volatile @Nullable JvmMetrics jvmMetrics;
    private volatile boolean collectorsBound;
    private final @Nullable CardinalityGuard expiringGuard;
    private final MetricsHistory history;
    private final HealthRegistry health;
    private final DiagnosisConfig diagnosisConfig;
    private final Object diagnosisLock = new Object();
    /** Created at first use (or in the constructor when switched on): its set-up costs tens of milliseconds. */
    private volatile @Nullable ContinuousDiagnosis diagnosis;
    private boolean diagnosisClosed; // diagnosisLock
    private final ProfilingConfig profilingConfig;
    private final Object profilerLock = new Object();
    private @Nullable JfrProfiler jfrProfiler;
    private volatile boolean closed;
    private final List<StatusContributor> contributors = new CopyOnWriteArrayList<>();
    private final TickScheduler scheduler;
    private final TickScheduler.Job tickJob;
    private final Object tickLock = new Object();
    private final boolean[] stepFailureLogged = new boolean[6];

    private Perf(Builder b) {
        this.registry = b.registry != null ? b.registry : new SimpleMeterRegistry();
        this.clock = b.clock != null ? b.clock : registry.config().clock();
        this.tickInterval = b.tickInterval;
        if (b.guard != null) {
            registry.config().meterFilter(b.guard);
        }
        this.expiringGuard = b.guardExpires ? b.guard : null;
        this.tracker = new DefaultPerformanceTracker(b.trackerConfig, registry, clock);
        this.wantSystemMetrics = b.systemMetrics;
        this.wantJvmMetrics = b.jvmMetrics;
        if (!b.deferCollectors) {
            bindCollectors();
        }
        this.history = MetricsHistory.create(b.historyConfig);
        this.health = HealthRegistry.create(b.healthConfig, clock);
        this.diagnosisConfig = b.diagnosisConfig;
        this.profilingConfig = b.profilingConfig;
        if (b.diagnosisEnabled) {
            diagnosis().start();
        }
        this.scheduler = new TickScheduler("perfkit-tick", clock);
        Duration maxTickAge = tickInterval.multipliedBy(10).compareTo(Duration.ofSeconds(30)) > 0
                ? tickInterval.multipliedBy(10) : Duration.ofSeconds(30);
        if (b.autoTick) {
            this.tickJob = scheduler.schedule("collect", tickInterval, tickInterval, this::tick);
            health.register("tick", HealthChecks.scheduler("collect", tickJob::timeSinceLastSuccess, maxTickAge),
                    HealthConfig.DEFAULT_TIMEOUT, HealthGroup.LIVENESS);
        } else {
            this.tickJob = null;
        }
        health.register("deadlocks", HealthChecks.deadlocks(), HealthConfig.DEFAULT_TIMEOUT, HealthGroup.LIVENESS);
        health.register("heap", HealthChecks.heap(0.90, 0.98), HealthConfig.DEFAULT_TIMEOUT, HealthGroup.READINESS);
        health.register("disk", HealthChecks.diskSpace(Path.of("").toAbsolutePath(), 100L * 1024 * 1024, 0.10),
                HealthConfig.DEFAULT_TIMEOUT, HealthGroup.READINESS);
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The tracker that measures operations.
     *
     * @return the tracker
     */
    public PerformanceTracker tracker() {
        return tracker;
    }

    /**
     * The profiler that builds per-request profile trees.
     *
     * @return the profiler
     */
    public Profiler profiler() {
        return tracker;
    }

    /**
     * The registry everything is published to.
     *
     * @return the registry
     */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The clock used for windows, history and time stamps.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The bounded history of every meter in the registry, sampled each tick.
     *
     * @return the history
     */
    public MetricsHistory history() {
        return history;
    }

    /**
     * The health registry, with the built-in checks; other modules and the application register
     * their own checks here.
     *
     * @return the health registry
     */
    public HealthRegistry health() {
        return health;
    }

    /**
     * The findings: what the continuous diagnosis (when switched on with
     * {@link Builder#diagnosis(boolean)}) and other detectors, such as the JDBC wrapper, diagnosed. Created at
     * the first call when the continuous diagnosis is not switched on at build time (its set-up, heap diagnostics
     * included, costs tens of milliseconds): a caller on a start-up path can defer that first call.
     *
     * @return the diagnosis
     */
    public ContinuousDiagnosis diagnosis() {
        ContinuousDiagnosis d = diagnosis;
        if (d == null) {
            synchronized (diagnosisLock) {
                d = diagnosis;
                if (d == null) {
                    d = ContinuousDiagnosis.create(diagnosisConfig, clock);
                    if (diagnosisClosed) {
                        d.close();
                    }
                    diagnosis = d;
                }
            }
        }
        return d;
    }

    /**
     * The hub's JFR profiler (on-demand and continuous recordings, at most one on-demand recording at a
     * time), created on first use with the configuration given to {@link Builder#profiling(ProfilingConfig)}
     * and closed with the hub. Every part of an application that records profiles (the endpoints, the
     * dashboard, user code) should use this one, so the one-recording rule holds for the whole hub.
     *
     * @return the profiler
     * @throws IllegalStateException if the hub is closed
     */
    public JfrProfiler profiling() {
        synchronized (profilerLock) {
            if (closed) {
                throw new IllegalStateException("the Perf hub is closed");
            }
            if (jfrProfiler == null) {
                jfrProfiler = JfrProfiler.create(profilingConfig);
            }
            return jfrProfiler;
        }
    }

    /**
     * Period of the collection tick.
     *
     * @return the tick interval
     */
    public Duration tickInterval() {
        return tickInterval;
    }

    /**
     * Adds a section to the detailed status.
     *
     * @param contributor the contributor; its name must be unique among the registered ones
     * @throws IllegalArgumentException if the name is malformed or already registered, or the hub
     *     already holds {@value #MAX_CONTRIBUTORS} contributors
     */
    public void register(StatusContributor contributor) {
        Objects.requireNonNull(contributor, "contributor");
        String name = contributor.name();
        if (name == null || !SECTION_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("status contributor name must match " + SECTION_NAME + ", was '"
                    + name + "'");
        }
        synchronized (contributors) {
            if (contributors.stream().anyMatch(c -> c.name().equals(name))) {
                throw new IllegalArgumentException("a status contributor named '" + name + "' is already registered");
            }
            if (contributors.size() >= MAX_CONTRIBUTORS) {
                throw new IllegalArgumentException("at most " + MAX_CONTRIBUTORS + " status contributors can be "
                        + "registered; '" + name + "' was refused");
            }
            contributors.add(contributor);
        }
    }

    /**
     * Removes a section from the detailed status.
     *
     * @param name the contributor's name
     * @return whether a contributor of that name was registered
     */
    public boolean unregister(String name) {
        Objects.requireNonNull(name, "name");
        return contributors.removeIf(c -> c.name().equals(name));
    }

    /**
     * The registered status contributors, in registration order.
     *
     * @return an immutable copy
     */
    public List<StatusContributor> contributors() {
        return List.copyOf(contributors);
    }

    /**
     * The contributed status sections by name. A contributor that throws yields a section holding
     * only {@code error} (the exception's class and message) and never affects the other sections.
     *
     * @return the sections, in registration order
     */
    public Map<String, Map<String, Object>> statusSections() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (StatusContributor c : contributors) {
            Map<String, Object> section;
            try {
                section = Objects.requireNonNull(c.status(), "status() returned null");
            } catch (RuntimeException e) {
                LOG.debug("Perfkit: status contributor '{}' failed", c.name(), e);
                section = Map.of("error", e.getClass().getName() + ": " + e.getMessage());
            }
            out.put(c.name(), section);
        }
        return out;
    }

    /**
     * Runs one collection tick now: drains the tracking buffers and advances windows, refreshes the
     * collectors, expires idle meters and samples the history. The hub does this on its own every
     * tick; calling it is useful in tests driven by a fake clock (see {@link Builder#autoTick(boolean)}).
     */
    public void tick() {
        synchronized (tickLock) {
            if (!collectorsBound) {
                step(5, "collector set-up", this::bindCollectors);
            }
            step(0, "tracker", tracker::tick);
            SystemMetrics system = systemMetrics;
            if (system != null) {
                step(1, "system metrics", system::refresh);
            }
            JvmMetrics jvm = jvmMetrics;
            if (jvm != null) {
                step(2, "JVM metrics", jvm::refresh);
            }
            if (expiringGuard != null) {
                step(3, "meter expiry", () -> expiringGuard.expireIdle(registry));
            }
            step(4, "history", () -> history.sample(registry, clock.wallTime()));
        }
    }

    /** Creates, refreshes and binds the system and JVM collectors once (not after close). */
    private void bindCollectors() {
        if (collectorsBound || closed) {
            return;
        }
        collectorsBound = true;
        if (wantSystemMetrics) {
            SystemMetrics system = new SystemMetrics();
            system.refresh();
            system.bindTo(registry);
            systemMetrics = system;
        }
        if (wantJvmMetrics) {
            JvmMetrics jvm = new JvmMetrics();
            jvm.refresh();
            jvm.bindTo(registry);
            jvmMetrics = jvm;
        }
    }

    private void step(int index, String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | LinkageError e) {
            if (!stepFailureLogged[index]) {
                stepFailureLogged[index] = true;
                LOG.warn("Perfkit: the collection tick failed in its {} step; the other steps go on. (Logged once.)",
                        what, e);
            } else {
                LOG.debug("Perfkit: the collection tick failed in its {} step", what, e);
            }
        }
    }

    /**
     * Stops the collection tick and the health workers, removes the collectors' listeners and Perfkit's
     * tracker meters from the registry. No Perfkit thread is left running afterwards. Idempotent.
     */
    @Override
    public void close() {
        scheduler.close();
        ContinuousDiagnosis d;
        synchronized (diagnosisLock) {
            diagnosisClosed = true;
            d = diagnosis;
        }
        if (d != null) {
            d.close();
        }
        synchronized (profilerLock) {
            closed = true;
            if (jfrProfiler != null) {
                jfrProfiler.close();
            }
        }
        health.close();
        JvmMetrics jvm;
        synchronized (tickLock) {
            jvm = jvmMetrics;
        }
        if (jvm != null) {
            jvm.close();
        }
        tracker.close();
    }

    /** Builder of {@link Perf}; not thread-safe. */
    public static final class Builder {
        private @Nullable MeterRegistry registry;
        private @Nullable Clock clock;
        private TrackerConfig trackerConfig = TrackerConfig.ofDefaults();
        private HistoryConfig historyConfig = HistoryConfig.ofDefaults();
        private HealthConfig healthConfig = HealthConfig.ofDefaults();
        private DiagnosisConfig diagnosisConfig = DiagnosisConfig.ofDefaults();
        private ProfilingConfig profilingConfig = ProfilingConfig.ofDefaults();
        private boolean diagnosisEnabled;
        private Duration tickInterval = Duration.ofSeconds(1);
        private boolean autoTick = true;
        private boolean systemMetrics = true;
        private boolean jvmMetrics = true;
        private boolean deferCollectors;
        // Perfkit's own meters are bounded by their own caps (operations, URI templates, fixed collectors);
        // the default guard is for the host's meters.
        private @Nullable CardinalityGuard guard = CardinalityGuard.builder().exempt("perfkit.").build();
        private boolean guardExpires;

        private Builder() {}

        /**
         * @param registry the registry to publish to (default: a new {@link SimpleMeterRegistry})
         * @return this builder
         */
        public Builder registry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * @param clock the clock (default: the registry's)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param config tracker and profiler configuration
         * @return this builder
         */
        public Builder tracker(TrackerConfig config) {
            this.trackerConfig = Objects.requireNonNull(config, "tracker");
            return this;
        }

        /**
         * @param config history tiers, series cap and meter selection
         * @return this builder
         */
        public Builder history(HistoryConfig config) {
            this.historyConfig = Objects.requireNonNull(config, "history");
            return this;
        }

        /**
         * @param config health check timeouts, caching and worker pool
         * @return this builder
         */
        public Builder health(HealthConfig config) {
            this.healthConfig = Objects.requireNonNull(config, "health");
            return this;
        }

        /**
         * @param enabled whether to run the continuous diagnosis on a live JFR stream (default false; about
         *     1 % overhead at its settings)
         * @return this builder
         */
        public Builder diagnosis(boolean enabled) {
            this.diagnosisEnabled = enabled;
            return this;
        }

        /**
         * @param config windows, thresholds and framework packages of the continuous diagnosis
         * @return this builder
         */
        public Builder diagnosis(DiagnosisConfig config) {
            this.diagnosisConfig = Objects.requireNonNull(config, "diagnosis");
            return this;
        }

        /**
         * @param config recording limits, temp directory and settings of {@link Perf#profiling()}
         * @return this builder
         */
        public Builder profiling(ProfilingConfig config) {
            this.profilingConfig = Objects.requireNonNull(config, "profiling");
            return this;
        }

        /**
         * @param interval period of the collection tick, at least 100 ms (default 1 s)
         * @return this builder
         */
        public Builder tickInterval(Duration interval) {
            Objects.requireNonNull(interval, "tickInterval");
            if (interval.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("tickInterval must be at least 100ms, was " + interval);
            }
            this.tickInterval = interval;
            return this;
        }

        /**
         * @param autoTick whether the hub runs its collection tick on its own thread (default true);
         *     tests driven by a fake clock turn it off and call {@link Perf#tick()}
         * @return this builder
         */
        public Builder autoTick(boolean autoTick) {
            this.autoTick = autoTick;
            return this;
        }

        /**
         * @param enabled whether to bind the OSHI system metrics (default true)
         * @return this builder
         */
        public Builder systemMetrics(boolean enabled) {
            this.systemMetrics = enabled;
            return this;
        }

        /**
         * @param enabled whether to bind the JVM metrics (default true)
         * @return this builder
         */
        public Builder jvmMetrics(boolean enabled) {
            this.jvmMetrics = enabled;
            return this;
        }

        /**
         * Creates and binds the system and JVM collectors at the first tick, on the tick thread, instead of in
         * {@link #build()}: OSHI's hardware discovery and the JMX look-ups then stay off the caller's thread (an
         * application's start-up path); their meters appear after the first tick. Default false.
         *
         * @param defer whether to defer the collectors' set-up to the first tick
         * @return this builder
         */
        public Builder deferCollectors(boolean defer) {
            this.deferCollectors = defer;
            return this;
        }

        /**
         * Uses {@code guard} as the registry's cardinality guard and runs its idle expiry every tick.
         * By default the hub installs a default guard with Perfkit's own meters ({@code perfkit.*},
         * bounded by their own caps) exempt, as a cap only, without expiry: expiring a meter the host
         * application holds a reference to would silently drop its later updates, so expiry is for
         * registries whose meters are looked up per use.
         *
         * @param guard the guard, or {@code null} for no guard at all
         * @return this builder
         */
        public Builder cardinalityGuard(@Nullable CardinalityGuard guard) {
            this.guard = guard;
            this.guardExpires = guard != null;
            return this;
        }

        /**
         * Builds the hub and starts its collection tick.
         *
         * @return the hub
         */
        public Perf build() {
            return new Perf(this);
        }
    }
}
