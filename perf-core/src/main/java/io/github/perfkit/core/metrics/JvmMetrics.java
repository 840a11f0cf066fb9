package io.github.perfkit.core.metrics;

import io.github.perfkit.core.internal.metrics.JvmSampler;
import io.github.perfkit.core.internal.metrics.JvmSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JVM metrics read from the platform management beans, as a Micrometer binder.
 *
 * <p>Meters (gauges unless stated; bytes, seconds, ratios 0..1):
 * <ul>
 *   <li>{@code perfkit.jvm.heap.used}, {@code .committed}, {@code .max};
 *       {@code perfkit.jvm.nonheap.used}, {@code .committed};</li>
 *   <li>{@code perfkit.jvm.memory.used}, {@code .committed}, {@code .max} (tags {@code area} =
 *       heap|nonheap, {@code pool}) — per memory pool;</li>
 *   <li>{@code perfkit.jvm.memory.after.gc} — old generation used right after the last collection (the
 *       pool's {@code CollectionUsage}); the input of leak detection;</li>
 *   <li>{@code perfkit.jvm.gc.pause} (timer, tags {@code gc}, {@code action}, {@code cause}) — from GC
 *       notifications;</li>
 *   <li>{@code perfkit.jvm.gc.pressure} — GC time over wall time between two refreshes;</li>
 *   <li>{@code perfkit.jvm.memory.allocated} (function counter) and
 *       {@code perfkit.jvm.memory.allocation.rate} (bytes/s) — young-generation allocation;</li>
 *   <li>{@code perfkit.jvm.threads.live}, {@code .daemon}, {@code .peak}, {@code .deadlocked};
 *       {@code perfkit.jvm.threads.states} (tag {@code state}, lowercase {@link Thread.State});</li>
 *   <li>{@code perfkit.jvm.classes.loaded}; {@code perfkit.jvm.classes.unloaded} (function counter);</li>
 *   <li>{@code perfkit.jvm.uptime} (time gauge); {@code perfkit.jvm.cpu.usage} — this process over all
 *       CPUs.</li>
 * </ul>
 *
 * <p>The management beans are read only in {@link #refresh()} (thread states and deadlock detection are
 * the expensive parts), which the hub calls once per tick; gauges read an immutable cached snapshot and
 * allocate nothing. The GC listeners are installed on the first {@link #bindTo(MeterRegistry)} and
 * removed by {@link #close()}.
 *
 * <p>Thread-safe: {@link #refresh()} is serialized internally, gauges may be read from any thread.
 */
public final class JvmMetrics implements MeterBinder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JvmMetrics.class);

    private final JvmSampler sampler;
    private final Object lock = new Object();
    private volatile JvmSnapshot snapshot;
    private boolean refreshed;
    private boolean installed;
    private boolean closed;

    /** Finds the memory pools and collectors; nothing is read until the first {@link #refresh()}. */
    public JvmMetrics() {
        this.sampler = new JvmSampler(MetricNames.JVM_GC_PAUSE);
        this.snapshot = sampler.empty();
    }

    /** Reads every JVM value once and publishes a new snapshot for the gauges; never throws. */
    public void refresh() {
        synchronized (lock) {
            try {
                snapshot = sampler.sample(snapshot);
                refreshed = true;
            } catch (RuntimeException e) {
                LOG.warn("Perfkit JVM metrics refresh failed; keeping the previous values", e);
            }
        }
    }

    /**
     * Registers the meters and, the first time, installs the GC notification listeners.
     *
     * @param registry the registry to publish to
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("JvmMetrics is closed; create a new one to bind again");
            }
            sampler.gcListener().addRegistry(registry);
            if (!installed) {
                sampler.gcListener().install();
                installed = true;
            }
            if (!refreshed) {
                refresh();
            }
        }
        gauge(registry, MetricNames.JVM_HEAP_USED, BaseUnits.BYTES, m -> m.snapshot.heapUsed, "Heap used");
        gauge(registry, MetricNames.JVM_HEAP_COMMITTED, BaseUnits.BYTES, m -> m.snapshot.heapCommitted,
                "Heap committed");
        gauge(registry, MetricNames.JVM_HEAP_MAX, BaseUnits.BYTES, m -> m.snapshot.heapMax, "Heap max");
        gauge(registry, MetricNames.JVM_NONHEAP_USED, BaseUnits.BYTES, m -> m.snapshot.nonHeapUsed,
                "Non-heap used");
        gauge(registry, MetricNames.JVM_NONHEAP_COMMITTED, BaseUnits.BYTES, m -> m.snapshot.nonHeapCommitted,
                "Non-heap committed");
        List<String> pools = sampler.poolNames();
        List<String> areas = sampler.poolAreas();
        for (int i = 0; i < pools.size(); i++) {
            final int idx = i;
            poolGauge(registry, MetricNames.JVM_MEMORY_USED, pools.get(i), areas.get(i),
                    m -> m.snapshot.poolUsed[idx]);
            poolGauge(registry, MetricNames.JVM_MEMORY_COMMITTED, pools.get(i), areas.get(i),
                    m -> m.snapshot.poolCommitted[idx]);
            poolGauge(registry, MetricNames.JVM_MEMORY_MAX, pools.get(i), areas.get(i),
                    m -> m.snapshot.poolMax[idx]);
        }
        gauge(registry, MetricNames.JVM_HEAP_AFTER_GC, BaseUnits.BYTES, m -> m.snapshot.heapAfterGc,
                "Old generation used after the last collection");
        gauge(registry, MetricNames.JVM_GC_PRESSURE, null, m -> m.snapshot.gcPressure,
                "Fraction of wall time spent in GC between two refreshes");
        FunctionCounter.builder(MetricNames.JVM_MEMORY_ALLOCATED, this, m -> m.snapshot.allocated)
                .baseUnit(BaseUnits.BYTES).description("Bytes allocated in the young generation")
                .register(registry);
        gauge(registry, MetricNames.JVM_MEMORY_ALLOCATION_RATE, "bytes.per.second",
                m -> m.snapshot.allocationRate, "Young-generation allocation rate");
        gauge(registry, MetricNames.JVM_THREADS_LIVE, BaseUnits.THREADS, m -> m.snapshot.threadsLive,
                "Live threads");
        gauge(registry, MetricNames.JVM_THREADS_DAEMON, BaseUnits.THREADS, m -> m.snapshot.threadsDaemon,
                "Live daemon threads");
        gauge(registry, MetricNames.JVM_THREADS_PEAK, BaseUnits.THREADS, m -> m.snapshot.threadsPeak,
                "Peak live threads since start (or reset)");
        for (Thread.State state : Thread.State.values()) {
            final int ord = state.ordinal();
            Gauge.builder(MetricNames.JVM_THREADS_STATES, this, m -> m.snapshot.threadStates[ord])
                    .tag("state", state.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .baseUnit(BaseUnits.THREADS).description("Threads per state").strongReference(true)
                    .register(registry);
        }
        gauge(registry, MetricNames.JVM_THREADS_DEADLOCKED, BaseUnits.THREADS, m -> m.snapshot.deadlocked,
                "Threads deadlocked on monitors or ownable synchronizers");
        gauge(registry, MetricNames.JVM_CLASSES_LOADED, BaseUnits.CLASSES, m -> m.snapshot.classesLoaded,
                "Classes currently loaded");
        FunctionCounter.builder(MetricNames.JVM_CLASSES_UNLOADED, this, m -> m.snapshot.classesUnloaded)
                .baseUnit(BaseUnits.CLASSES).description("Classes unloaded since start").register(registry);
        TimeGauge.builder(MetricNames.JVM_UPTIME, this, TimeUnit.MILLISECONDS, m -> m.snapshot.uptimeMillis)
                .description("JVM uptime").strongReference(true).register(registry);
        gauge(registry, MetricNames.JVM_CPU_USAGE, null, m -> m.snapshot.cpuUsage,
                "CPU usage of this process over all available CPUs");
    }

    /** Removes the GC notification listeners; idempotent. Meters already registered stay in place. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            sampler.gcListener().uninstall();
        }
    }

    private void gauge(MeterRegistry registry, String name, @Nullable String unit, ToDoubleFunction<JvmMetrics> f,
            String description) {
        Gauge.builder(name, this, f).baseUnit(unit).description(description).strongReference(true)
                .register(registry);
    }

    private void poolGauge(MeterRegistry registry, String name, String pool, String area,
            ToDoubleFunction<JvmMetrics> f) {
        Gauge.builder(name, this, f).tag("area", area).tag("pool", pool).baseUnit(BaseUnits.BYTES)
                .strongReference(true).register(registry);
    }
}
