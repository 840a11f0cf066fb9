package io.github.perfkit.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compares the JVM readings with the management beans read independently, within stated tolerances. */
class JvmMetricsTest {

    private static final long MB = 1024 * 1024;
    private static SimpleMeterRegistry registry;
    private static JvmMetrics metrics;

    @BeforeAll
    static void bind() {
        registry = new SimpleMeterRegistry();
        metrics = new JvmMetrics();
        metrics.bindTo(registry);
    }

    @AfterAll
    static void close() {
        metrics.close();
    }

    private static double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private static long gcPauses(MeterRegistry r) {
        return r.find(MetricNames.JVM_GC_PAUSE).timers().stream().mapToLong(Timer::count).sum();
    }

    @Test
    void heapMatchesMemoryMxBean() {
        System.gc();
        metrics.refresh();
        long independent = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        double used = gauge(MetricNames.JVM_HEAP_USED);
        assertThat(used).isCloseTo(independent, within(Math.max(independent * 0.10, 16.0 * MB)));
        assertThat(gauge(MetricNames.JVM_HEAP_COMMITTED)).isGreaterThanOrEqualTo(used);
        double poolsHeapUsed = registry.find(MetricNames.JVM_MEMORY_USED).tag("area", "heap").gauges().stream()
                .mapToDouble(Gauge::value).sum();
        assertThat(poolsHeapUsed).isCloseTo(used, within(Math.max(used * 0.10, 16.0 * MB)));
        assertThat(gauge(MetricNames.JVM_HEAP_AFTER_GC)).isNotNaN().isBetween(0.0,
                gauge(MetricNames.JVM_HEAP_COMMITTED));
        assertThat(gauge(MetricNames.JVM_NONHEAP_USED)).isGreaterThan(0.0);
    }

    @Test
    void threadCountsFollowParkedThreads() throws Exception {
        metrics.refresh();
        assertThat(gauge(MetricNames.JVM_THREADS_LIVE))
                .isCloseTo(ManagementFactory.getThreadMXBean().getThreadCount(), within(5.0));
        double before = gauge(MetricNames.JVM_THREADS_LIVE);
        double waitingBefore = registry.get(MetricNames.JVM_THREADS_STATES).tag("state", "waiting").gauge().value();
        CountDownLatch started = new CountDownLatch(20);
        List<Thread> parked = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Thread t = new Thread(() -> {
                started.countDown();
                while (!Thread.currentThread().isInterrupted()) {
                    LockSupport.park();
                }
            }, "parked-" + i);
            t.setDaemon(true);
            t.start();
            parked.add(t);
        }
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                metrics.refresh();
                assertThat(gauge(MetricNames.JVM_THREADS_LIVE)).isGreaterThanOrEqualTo(before + 20);
                assertThat(registry.get(MetricNames.JVM_THREADS_STATES).tag("state", "waiting").gauge().value())
                        .isGreaterThanOrEqualTo(waitingBefore + 20 - 5);
            });
            assertThat(gauge(MetricNames.JVM_THREADS_DAEMON)).isGreaterThanOrEqualTo(20);
            assertThat(gauge(MetricNames.JVM_THREADS_PEAK)).isGreaterThanOrEqualTo(before + 20);
        } finally {
            for (Thread t : parked) {
                t.interrupt();
            }
            for (Thread t : parked) {
                t.join(5_000);
            }
        }
    }

    @Test
    void realDeadlockIsReported() throws Exception {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHoldFirst = new CountDownLatch(2);
        Thread t1 = deadlocker("deadlock-1", a, b, bothHoldFirst);
        Thread t2 = deadlocker("deadlock-2", b, a, bothHoldFirst);
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                metrics.refresh();
                assertThat(gauge(MetricNames.JVM_THREADS_DEADLOCKED)).isGreaterThanOrEqualTo(2.0);
            });
        } finally {
            t1.interrupt();
            t2.interrupt();
            t1.join(5_000);
            t2.join(5_000);
        }
        metrics.refresh();
        assertThat(gauge(MetricNames.JVM_THREADS_DEADLOCKED)).isZero();
    }

    private static Thread deadlocker(String name, ReentrantLock first, ReentrantLock second, CountDownLatch latch) {
        Thread t = new Thread(() -> {
            try {
                first.lockInterruptibly();
                try {
                    latch.countDown();
                    latch.await();
                    second.lockInterruptibly();
                    second.unlock();
                } finally {
                    first.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void allocationIsAccounted() {
        metrics.refresh();
        double before = registry.get(MetricNames.JVM_MEMORY_ALLOCATED).functionCounter().count();
        long target = 200 * MB;
        byte[][] blackhole = new byte[1024][];
        long allocatedHere = 0;
        int i = 0;
        while (allocatedHere < target) {
            blackhole[i++ & 1023] = new byte[8 * 1024]; // small arrays: young gen, not humongous
            allocatedHere += 8 * 1024 + 16;
        }
        System.gc();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            metrics.refresh();
            double delta = registry.get(MetricNames.JVM_MEMORY_ALLOCATED).functionCounter().count() - before;
            assertThat(delta).isGreaterThanOrEqualTo(target / 2.0);
        });
        assertThat(blackhole[0]).isNotNull();
        assertThat(gauge(MetricNames.JVM_MEMORY_ALLOCATION_RATE)).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void gcPausesAreTimedAndListenersRemovedOnClose() {
        SimpleMeterRegistry closedRegistry = new SimpleMeterRegistry();
        JvmMetrics closedOne = new JvmMetrics();
        closedOne.bindTo(closedRegistry);
        closedOne.close();
        long closedBefore = gcPauses(closedRegistry);

        long before = gcPauses(registry);
        System.gc();
        await().atMost(Duration.ofSeconds(10)).until(() -> gcPauses(registry) > before);
        Timer any = registry.find(MetricNames.JVM_GC_PAUSE).timers().iterator().next();
        assertThat(any.getId().getTag("gc")).isNotBlank();
        assertThat(any.getId().getTag("action")).isNotBlank();
        assertThat(any.getId().getTag("cause")).isNotBlank();
        assertThat(gcPauses(closedRegistry)).isEqualTo(closedBefore);

        metrics.refresh();
        assertThat(gauge(MetricNames.JVM_GC_PRESSURE)).isBetween(0.0, 1.0);
    }

    @Test
    void classesUptimeAndCpuMatchTheBeans() {
        metrics.refresh();
        assertThat(gauge(MetricNames.JVM_CLASSES_LOADED))
                .isCloseTo(ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), within(200.0));
        double uptimeSeconds = registry.get(MetricNames.JVM_UPTIME).timeGauge().value(TimeUnit.SECONDS);
        assertThat(uptimeSeconds)
                .isCloseTo(ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0, within(5.0));
        metrics.refresh();
        assertThat(gauge(MetricNames.JVM_CPU_USAGE)).isBetween(0.0, 1.0);
        assertThat(registry.get(MetricNames.JVM_CLASSES_UNLOADED).functionCounter().count())
                .isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void refreshIsCheapAndGaugeReadsDoNotAllocate() {
        metrics.refresh();
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            metrics.refresh();
        }
        double meanMs = (System.nanoTime() - start) / 20 / 1e6;
        System.out.printf("JvmMetrics.refresh() mean over 20: %.2f ms%n", meanMs);
        assertThat(meanMs).isLessThan(250.0);

        GaugeReads.assertDoNotAllocate(registry);
    }
}
