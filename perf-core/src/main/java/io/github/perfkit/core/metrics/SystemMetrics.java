package io.github.perfkit.core.metrics;

import io.github.perfkit.core.internal.metrics.SystemSampler;
import io.github.perfkit.core.internal.metrics.SystemSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operating-system metrics read through OSHI, as a Micrometer binder.
 *
 * <p>Meters (all gauges unless stated; sizes in bytes, rates in bytes per second, ratios 0..1):
 * <ul>
 *   <li>{@code perfkit.system.cpu.logical} — logical CPUs;</li>
 *   <li>{@code perfkit.system.cpu.usage} — whole-machine CPU usage between the last two refreshes;</li>
 *   <li>{@code perfkit.system.cpu.core.usage} (tag {@code core} = 0..n-1) — per logical CPU usage. A
 *       separate name rather than {@code cpu.usage} with an optional tag, because Prometheus requires one
 *       set of tag keys per name;</li>
 *   <li>{@code perfkit.system.load.average.1m}, {@code .5m}, {@code .15m} — load averages (NaN where the
 *       platform has none);</li>
 *   <li>{@code perfkit.system.memory.total}, {@code .used}, {@code .available} — physical memory; used is
 *       total minus available (page cache that can be reclaimed counts as available);</li>
 *   <li>{@code perfkit.system.swap.total}, {@code .used};</li>
 *   <li>{@code perfkit.system.disk.total}, {@code perfkit.system.disk.usable} (tag {@code mount}) — per file
 *       store, at most 16 stores, pseudo file systems (tmpfs, proc,
 *       overlay except at {@code /}, …) left out;</li>
 *   <li>{@code perfkit.system.disk.read}, {@code perfkit.system.disk.written} — bytes/s summed over the
 *       physical disks (loop, ram, zram, device-mapper and md devices left out so nothing counts twice);</li>
 *   <li>{@code perfkit.system.network.received}, {@code perfkit.system.network.sent} (tag
 *       {@code interface}) — bytes/s, at most 8 interfaces,
 *       loopback left out;</li>
 *   <li>{@code perfkit.system.files.open}, {@code perfkit.system.files.max} — file descriptors of this
 *       process and its soft limit;</li>
 *   <li>{@code perfkit.system.collector.failures} (function counter) — OSHI reads that failed.</li>
 * </ul>
 * The file stores, disks and interfaces are discovered once, when this object is created.
 *
 * <p>OSHI is read only in {@link #refresh()}, which the hub calls once per collection tick; gauges read
 * an immutable cached snapshot, so reading a gauge never blocks, never touches the OS and allocates
 * nothing. Rates and CPU usage are computed between two refreshes and are NaN until the second one.
 * A failing read is logged once and leaves the previous value in place.
 *
 * <p>Thread-safe: {@link #refresh()} is serialized internally and gauges may be read from any thread.
 */
public final class SystemMetrics implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(SystemMetrics.class);
    private static final String BYTES_PER_SECOND = "bytes.per.second";

    private final SystemSampler sampler;
    private final Object refreshLock = new Object();
    private volatile SystemSnapshot snapshot;
    private volatile boolean refreshed;

    /** Discovers the hardware through OSHI; nothing is read until the first {@link #refresh()}. */
    public SystemMetrics() {
        this.sampler = new SystemSampler();
        this.snapshot = sampler.empty();
    }

    /**
     * Reads every system value once and publishes a new snapshot for the gauges. Meant to be called from
     * one scheduler thread once per tick; never throws.
     */
    public void refresh() {
        synchronized (refreshLock) {
            long start = System.nanoTime();
            try {
                snapshot = sampler.sample(snapshot);
                refreshed = true;
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Perfkit system metrics refresh failed; keeping the previous values", e);
            }
            if (LOG.isTraceEnabled()) {
                LOG.trace("System metrics refreshed in {} µs", (System.nanoTime() - start) / 1_000);
            }
        }
    }

    /**
     * Registers the gauges. Takes a first reading if none was taken yet, so that rates have a base.
     *
     * @param registry the registry to publish to
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (!refreshed) {
            refresh();
        }
        gauge(registry, MetricNames.SYSTEM_CPU_LOGICAL, null, m -> m.sampler.cpuCount(), "Logical CPUs");
        gauge(registry, MetricNames.SYSTEM_CPU_USAGE, null, m -> m.snapshot.cpuUsage, "Whole-machine CPU usage 0..1");
        for (int c = 0; c < sampler.cpuCount(); c++) {
            final int core = c;
            Gauge.builder(MetricNames.SYSTEM_CPU_CORE_USAGE, this, m -> {
                        double[] a = m.snapshot.coreUsage;
                        return core < a.length ? a[core] : Double.NaN;
                    })
                    .tag("core", Integer.toString(core))
                    .description("Usage 0..1 of one logical CPU")
                    .strongReference(true)
                    .register(registry);
        }
        gauge(registry, MetricNames.SYSTEM_LOAD_1M, null, m -> m.snapshot.load1, "Load average over 1 minute");
        gauge(registry, MetricNames.SYSTEM_LOAD_5M, null, m -> m.snapshot.load5, "Load average over 5 minutes");
        gauge(registry, MetricNames.SYSTEM_LOAD_15M, null, m -> m.snapshot.load15, "Load average over 15 minutes");
        gauge(registry, MetricNames.SYSTEM_MEMORY_TOTAL, BaseUnits.BYTES, m -> m.snapshot.memoryTotal,
                "Physical memory");
        gauge(registry, MetricNames.SYSTEM_MEMORY_USED, BaseUnits.BYTES, m -> m.snapshot.memoryUsed(),
                "Physical memory in use (total minus available)");
        gauge(registry, MetricNames.SYSTEM_MEMORY_AVAILABLE, BaseUnits.BYTES, m -> m.snapshot.memoryAvailable,
                "Physical memory available without swapping");
        gauge(registry, MetricNames.SYSTEM_SWAP_TOTAL, BaseUnits.BYTES, m -> m.snapshot.swapTotal, "Swap space");
        gauge(registry, MetricNames.SYSTEM_SWAP_USED, BaseUnits.BYTES, m -> m.snapshot.swapUsed, "Swap in use");
        List<String> mounts = sampler.fileStoreMounts();
        for (int i = 0; i < mounts.size(); i++) {
            final int idx = i;
            Gauge.builder(MetricNames.SYSTEM_DISK_TOTAL, this, m -> m.snapshot.fileStoreTotal[idx])
                    .tag("mount", mounts.get(i)).baseUnit(BaseUnits.BYTES).description("File store size")
                    .strongReference(true).register(registry);
            Gauge.builder(MetricNames.SYSTEM_DISK_USABLE, this, m -> m.snapshot.fileStoreUsable[idx])
                    .tag("mount", mounts.get(i)).baseUnit(BaseUnits.BYTES)
                    .description("File store space usable by this process").strongReference(true).register(registry);
        }
        gauge(registry, MetricNames.SYSTEM_DISK_READ, BYTES_PER_SECOND, m -> m.snapshot.diskReadRate,
                "Bytes read from physical disks per second");
        gauge(registry, MetricNames.SYSTEM_DISK_WRITTEN, BYTES_PER_SECOND, m -> m.snapshot.diskWriteRate,
                "Bytes written to physical disks per second");
        List<String> ifaces = sampler.interfaceNames();
        for (int i = 0; i < ifaces.size(); i++) {
            final int idx = i;
            Gauge.builder(MetricNames.SYSTEM_NETWORK_RECEIVED, this, m -> m.snapshot.networkReceivedRate[idx])
                    .tag("interface", ifaces.get(i)).baseUnit(BYTES_PER_SECOND)
                    .description("Bytes received per second").strongReference(true).register(registry);
            Gauge.builder(MetricNames.SYSTEM_NETWORK_SENT, this, m -> m.snapshot.networkSentRate[idx])
                    .tag("interface", ifaces.get(i)).baseUnit(BYTES_PER_SECOND)
                    .description("Bytes sent per second").strongReference(true).register(registry);
        }
        gauge(registry, MetricNames.SYSTEM_FILES_OPEN, BaseUnits.FILES, m -> m.snapshot.openFds,
                "Open file descriptors of this process");
        gauge(registry, MetricNames.SYSTEM_FILES_MAX, BaseUnits.FILES, m -> m.snapshot.maxFds,
                "Maximum file descriptors of this process (soft limit)");
        FunctionCounter.builder(MetricNames.SYSTEM_COLLECTOR_FAILURES, this, m -> m.sampler.failures())
                .description("System metric reads that failed").register(registry);
    }

    private void gauge(MeterRegistry registry, String name, @org.jspecify.annotations.Nullable String unit,
            ToDoubleFunction<SystemMetrics> f, String description) {
        Gauge.builder(name, this, f).baseUnit(unit).description(description).strongReference(true)
                .register(registry);
    }
}
