package io.github.perfkit.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compares every reading with an independent one (procfs, java.io) within stated tolerances. */
class SystemMetricsTest {

    private static SimpleMeterRegistry registry;
    private static SystemMetrics metrics;

    @BeforeAll
    static void bind() {
        registry = new SimpleMeterRegistry();
        metrics = new SystemMetrics();
        metrics.bindTo(registry);
        metrics.refresh();
    }

    private static double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private static long meminfoBytes(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException(key + " not in /proc/meminfo");
    }

    /** busy and total jiffies of the "cpu" line of /proc/stat; idle = idle + iowait. */
    private static long[] procStat() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    @Test
    void memoryMatchesProcMeminfo() throws IOException {
        metrics.refresh();
        long total = meminfoBytes("MemTotal");
        long used = total - meminfoBytes("MemAvailable");
        assertThat(gauge(MetricNames.SYSTEM_MEMORY_TOTAL)).isCloseTo(total, within(total * 0.01));
        double tolerance = Math.max(used * 0.10, 200.0 * 1024 * 1024);
        assertThat(gauge(MetricNames.SYSTEM_MEMORY_USED)).isCloseTo(used, within(tolerance));
        assertThat(gauge(MetricNames.SYSTEM_MEMORY_AVAILABLE) + gauge(MetricNames.SYSTEM_MEMORY_USED))
                .isCloseTo(gauge(MetricNames.SYSTEM_MEMORY_TOTAL), within(1.0));
        assertThat(gauge(MetricNames.SYSTEM_SWAP_TOTAL)).isCloseTo(meminfoBytes("SwapTotal"),
                within(meminfoBytes("SwapTotal") * 0.01 + 1));
    }

    @Test
    void cpuCountAndPerCoreGauges() throws IOException {
        long procCpus;
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            procCpus = lines.filter(l -> l.startsWith("processor")).count();
        }
        int cpus = (int) gauge(MetricNames.SYSTEM_CPU_LOGICAL);
        assertThat(cpus).isIn((int) procCpus, Runtime.getRuntime().availableProcessors());
        Collection<Gauge> cores = registry.find(MetricNames.SYSTEM_CPU_CORE_USAGE).gauges();
        assertThat(cores).hasSize(cpus);
        metrics.refresh();
        for (Gauge g : cores) {
            assertThat(g.value()).isBetween(0.0, 1.0);
        }
        assertThat(gauge(MetricNames.SYSTEM_CPU_USAGE)).isBetween(0.0, 1.0);
    }

    @Test
    void busySpinShowsInCpuUsageLikeProcStat() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        long[] before = procStat();
        metrics.refresh();
        Thread spinner = new Thread(() -> {
            long end = System.nanoTime() + 1_500_000_000L;
            long x = 0;
            while (System.nanoTime() < end && !stop.get()) {
                x += System.nanoTime() & 1;
            }
            if (x == 42) {
                System.err.print("");
            }
        }, "busy-spin");
        spinner.start();
        spinner.join(10_000);
        stop.set(true);
        long[] after = procStat();
        metrics.refresh();
        double procUsage = (double) (after[0] - before[0]) / (after[1] - before[1]);
        double usage = gauge(MetricNames.SYSTEM_CPU_USAGE);
        System.out.printf("cpu usage during spin: perfkit %.3f, /proc/stat %.3f%n", usage, procUsage);
        assertThat(usage).isCloseTo(procUsage, within(0.25));
        assertThat(usage).isGreaterThan(0.0);
    }

    @Test
    void openFileDescriptorsMatchProcSelfFd() throws IOException {
        metrics.refresh();
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        }
        assertThat(gauge(MetricNames.SYSTEM_FILES_OPEN)).isCloseTo(fds, within(20.0));
        assertThat(gauge(MetricNames.SYSTEM_FILES_MAX)).isGreaterThanOrEqualTo(fds);
    }

    @Test
    void rootDiskMatchesJavaIo() {
        metrics.refresh();
        double total = registry.get(MetricNames.SYSTEM_DISK_TOTAL).tag("mount", "/").gauge().value();
        double usable = registry.get(MetricNames.SYSTEM_DISK_USABLE).tag("mount", "/").gauge().value();
        File root = new File("/");
        assertThat(total).isCloseTo(root.getTotalSpace(), within(root.getTotalSpace() * 0.01));
        assertThat(usable).isCloseTo(root.getUsableSpace(), within(root.getTotalSpace() * 0.01));
        assertThat(registry.find(MetricNames.SYSTEM_DISK_TOTAL).gauges())
                .noneMatch(g -> g.getId().getTag("mount").startsWith("/proc"));
    }

    @Test
    void ratesAppearAfterTwoRefreshesAndAreNonNegative() {
        metrics.refresh();
        metrics.refresh();
        List<Gauge> net = List.copyOf(registry.find(MetricNames.SYSTEM_NETWORK_RECEIVED).gauges());
        assertThat(net).isNotEmpty().noneMatch(g -> g.getId().getTag("interface").equals("lo"));
        for (String name : List.of(MetricNames.SYSTEM_NETWORK_RECEIVED, MetricNames.SYSTEM_NETWORK_SENT)) {
            for (Gauge g : registry.find(name).gauges()) {
                assertThat(g.value()).as(g.getId().toString()).isNotNaN().isGreaterThanOrEqualTo(0.0);
            }
        }
        assertThat(gauge(MetricNames.SYSTEM_DISK_READ)).isNotNaN().isGreaterThanOrEqualTo(0.0);
        assertThat(gauge(MetricNames.SYSTEM_DISK_WRITTEN)).isNotNaN().isGreaterThanOrEqualTo(0.0);
        assertThat(gauge(MetricNames.SYSTEM_LOAD_1M)).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void refreshIsCheapAndGaugeReadsDoNotAllocate() {
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            metrics.refresh();
        }
        double meanMs = (System.nanoTime() - start) / 20 / 1e6;
        System.out.printf("SystemMetrics.refresh() mean over 20: %.2f ms%n", meanMs);
        assertThat(meanMs).isLessThan(250.0);

        GaugeReads.assertDoNotAllocate(registry);
    }
}
