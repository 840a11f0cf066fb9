package io.github.perfkit.alerts.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.alerts.Finding;
import io.github.perfkit.alerts.Sim;
import io.github.perfkit.core.metrics.JvmMetrics;
import io.github.perfkit.core.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Provokes the real problems in this JVM and feeds perf-core's JvmMetrics through a MetricsHistory
 * into the detectors. Real measurements, simulated timestamps (10 s apart) so the windows fill fast.
 */
class JvmDetectorsIntegrationTest {

    private final Sim sim = new Sim();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JvmMetrics jvm = new JvmMetrics();

    @BeforeEach
    void bind() {
        jvm.bindTo(registry);
    }

    @AfterEach
    void unbind() {
        jvm.close();
        registry.close();
    }

    private void sample(Duration step) {
        jvm.refresh();
        sim.advance(step);
        sim.history.sample(registry, sim.now());
    }

    @Test
    void leakingListIsDetectedAsAMemoryLeak() {
        List<byte[]> leak = new ArrayList<>();
        MemoryLeakDetector detector = MemoryLeakDetector.builder().window(Duration.ofMinutes(5))
                .minSlopeBytesPerSecond(100 * 1024).build();
        for (int i = 0; i < 15; i++) {
            for (int k = 0; k < 64; k++) { // 4 MiB per 10 s (~410 KiB/s), in small arrays (no humongous regions)
                leak.add(new byte[64 * 1024]);
            }
            System.gc();
            sample(Duration.ofSeconds(10));
        }
        Finding f = detector.evaluate(sim.context()).get(0);
        assertThat(f.active()).as(f.description()).isTrue();
        assertThat(f.value()).isBetween(300.0 * 1024, 500.0 * 1024);
        assertThat(f.description()).contains("projected to reach the heap max");
        leak.clear();
        for (int i = 0; i < 31; i++) { // the window moves past the leak: flat heap
            System.gc();
            sample(Duration.ofSeconds(10));
        }
        Finding after = detector.evaluate(sim.context()).get(0);
        assertThat(after.active()).as(after.description()).isFalse();
        assertThat(leak).isEmpty();
    }

    @Test
    void leakingThreadsAreDetectedWithTheirNamePrefix() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        ThreadLeakDetector detector = ThreadLeakDetector.builder().window(Duration.ofMinutes(5)).minGrowth(20).build();
        try {
            for (int i = 0; i < 15; i++) {
                for (int k = 0; k < 3; k++) {
                    Thread t = new Thread(() -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "leaky-worker-" + i + "-" + k);
                    t.setDaemon(true);
                    t.start();
                    threads.add(t);
                }
                sample(Duration.ofSeconds(10));
                detector.evaluate(sim.context());
            }
            Finding f = detector.evaluate(sim.context()).get(0);
            assertThat(f.active()).as(f.description()).isTrue();
            assertThat(f.description()).contains("leaky-worker-#-# +");
        } finally {
            release.countDown();
            for (Thread t : threads) {
                t.join(5000);
            }
        }
    }

    @Test
    void busyThreadsAreDetectedAsACpuSpike() throws InterruptedException {
        CpuSpikeDetector detector = CpuSpikeDetector.builder().window(Duration.ofMinutes(10)).minBaseline(20)
                .recentSamples(3).zThreshold(3).minValue(0.05).minStdDev(0.02).build();
        // the minimum value is low (5 % of all CPUs) because the z-score against the idle baseline decides
        // wait (at most 20 s) for this JVM to be quiet: JIT and GC work left over from the tests that ran
        // before in the same JVM would otherwise make the "idle" baseline noisy
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int quiet = 0; quiet < 5 && System.nanoTime() < deadline; ) {
            TimeUnit.MILLISECONDS.sleep(100);
            double load = os.getProcessCpuLoad();
            quiet = load >= 0 && load < 0.05 ? quiet + 1 : 0;
        }
        jvm.refresh(); // warm-up reads, not recorded
        TimeUnit.MILLISECONDS.sleep(50);
        // idle baseline: 100 ms of real time per sample, long enough that a JIT or GC burst left over
        // from earlier tests in this JVM does not dominate one sample
        for (int i = 0; i < 26; i++) {
            TimeUnit.MILLISECONDS.sleep(100);
            sample(Duration.ofSeconds(1));
        }
        Finding idle = detector.evaluate(sim.context()).get(0);
        assertThat(idle.active()).as(idle.description()).isFalse();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> spinners = new ArrayList<>();
        try {
            // 16 spinners: on an idle 2-core machine they take all of it, on a shared one they still win a
            // large share of the run queue against the other processes
            for (int i = 0; i < 16; i++) {
                Thread t = new Thread(() -> {
                    long x = 0;
                    while (!stop.get()) {
                        x += System.nanoTime() % 7;
                    }
                    if (x == 42) {
                        Thread.onSpinWait();
                    }
                }, "spinner-" + i);
                t.setDaemon(true);
                t.start();
                spinners.add(t);
            }
            for (int i = 0; i < 3; i++) {
                TimeUnit.MILLISECONDS.sleep(400);
                sample(Duration.ofSeconds(1));
            }
        } finally {
            stop.set(true);
            for (Thread t : spinners) {
                t.join(5000);
            }
        }
        Finding f = detector.evaluate(sim.context()).get(0);
        assertThat(f.active()).as(f.description()).isTrue();
        assertThat(sim.history.latest(MetricNames.JVM_CPU_USAGE, io.micrometer.core.instrument.Tags.empty()))
                .isPresent();
    }
}
