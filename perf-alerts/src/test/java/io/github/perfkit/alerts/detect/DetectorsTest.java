package io.github.perfkit.alerts.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.alerts.Finding;
import io.github.perfkit.alerts.Sim;
import io.github.perfkit.core.metrics.MetricNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Detectors on synthetic series. */
class DetectorsTest {

    private final Sim sim = new Sim();
    private final Random random = new Random(42);

    @Test
    void memoryLeakFiresOnASteadyRiseAndProjectsExhaustion() {
        double mib = 1024 * 1024;
        for (int i = 0; i < 60; i++) {
            sim.advance(Duration.ofSeconds(10));
            // 100 MiB base, +1 MiB per 10 s (6 MiB/min), with +-0.2 MiB noise
            sim.record(MetricNames.JVM_HEAP_AFTER_GC, 100 * mib + i * mib + (random.nextDouble() - 0.5) * 0.4 * mib);
            sim.record(MetricNames.JVM_HEAP_MAX, 1024 * mib);
        }
        MemoryLeakDetector d = MemoryLeakDetector.builder().window(Duration.ofMinutes(10)).build();
        Finding f = d.evaluate(sim.context()).get(0);
        assertThat(f.active()).isTrue();
        assertThat(f.value()).isBetween(0.09 * mib, 0.11 * mib); // bytes per second
        // (1024 - 159) MiB left at 6 MiB/min: about 144 min
        assertThat(f.description()).containsPattern("rising by (5\\.99|6)")
                .containsPattern("R² (0\\.99|1)").contains("heap max of 1024 MiB").contains("in 2.4 h");
    }

    @Test
    void memoryLeakStaysQuietOnASawtoothOrFlatHeap() {
        double mib = 1024 * 1024;
        for (int i = 0; i < 60; i++) {
            sim.advance(Duration.ofSeconds(10));
            sim.record(MetricNames.JVM_HEAP_AFTER_GC, 100 * mib + (i % 10) * 5 * mib); // grows then collapses
        }
        MemoryLeakDetector d = MemoryLeakDetector.builder().window(Duration.ofMinutes(10)).maxBytes(1024 * mib).build();
        assertThat(d.evaluate(sim.context())).extracting(Finding::active).containsExactly(false);
        assertThatThrownBy(() -> MemoryLeakDetector.builder().minR2(2).build())
                .hasMessageContaining("rule 'memory-leak'").hasMessageContaining("minR2");
    }

    @Test
    void cpuSpikeUsesTheZScoreOverTheMovingWindow() {
        for (int i = 0; i < 60; i++) {
            sim.advance();
            sim.record(MetricNames.JVM_CPU_USAGE, 0.2 + (random.nextDouble() - 0.5) * 0.1);
        }
        CpuSpikeDetector d = CpuSpikeDetector.builder().window(Duration.ofMinutes(2)).build();
        assertThat(d.evaluate(sim.context()).get(0).active()).isFalse();
        for (int i = 0; i < 3; i++) {
            sim.advance();
            sim.record(MetricNames.JVM_CPU_USAGE, 0.9);
        }
        Finding f = d.evaluate(sim.context()).get(0);
        assertThat(f.active()).isTrue();
        assertThat(f.value()).isGreaterThan(10);
        assertThat(f.description()).contains("CPU 90 %").contains("z-score");
        // a slow ramp to the same level is not a spike
        Sim ramp = new Sim();
        for (int i = 0; i < 63; i++) {
            ramp.advance();
            ramp.record(MetricNames.JVM_CPU_USAGE, 0.2 + i * 0.7 / 62);
        }
        assertThat(d.evaluate(ramp.context()).get(0).active()).isFalse();
    }

    @Test
    void threadsCreatedWhileAnApplicationStartsAreNotALeak() {
        ThreadLeakDetector d = ThreadLeakDetector.builder().window(Duration.ofMinutes(15)).build();
        // Start-up: 10 -> 70 threads in the first 30 s, a perfect line — but only 30 s of a 15 min window.
        for (int i = 0; i <= 6; i++) {
            sim.record(MetricNames.JVM_THREADS_LIVE, 10 + 10 * i);
            assertThat(d.evaluate(sim.context())).noneMatch(Finding::active);
            sim.advance(Duration.ofSeconds(5));
        }
    }

    @Test
    void threadLeakNamesThePrefixesThatGrew() {
        Map<String, Integer> names = new HashMap<>(Map.of("main", 1, "http-nio-#-exec-#", 10));
        ThreadLeakDetector d = ThreadLeakDetector.builder().window(Duration.ofMinutes(10))
                .threadNameCounts(() -> Map.copyOf(names)).build();
        for (int i = 0; i < 60; i++) {
            sim.advance(Duration.ofSeconds(10));
            names.merge("pool-#-thread-#", 2, Integer::sum);
            sim.record(MetricNames.JVM_THREADS_LIVE, 11 + 2 * (i + 1));
            List<Finding> f = d.evaluate(sim.context());
            if (i < 2) {
                assertThat(f).noneMatch(Finding::active);
            }
        }
        Finding f = d.evaluate(sim.context()).get(0);
        assertThat(f.active()).isTrue();
        assertThat(f.value()).isEqualTo(12, org.assertj.core.data.Offset.offset(0.01)); // threads per minute
        assertThat(f.description()).contains("grew most: pool-#-thread-# +").doesNotContain("http-nio");
        assertThat(io.github.perfkit.core.diagnostics.ThreadDiagnostics.namePrefix("pool-12-thread-3")).isEqualTo("pool-#-thread-#");
    }

    @Test
    void gcAndSloFactories() {
        for (int i = 0; i < 60; i++) {
            sim.advance();
            sim.record(MetricNames.JVM_GC_PRESSURE, i < 30 ? 0.01 : 0.3);
            sim.record(MetricNames.JVM_GC_PAUSE + ".max", i == 59 ? 2.0 : 0.01);
            sim.record("http.latency.p95", i < 50 ? 0.1 : 0.8, "uri", "/checkout");
            sim.record("http.requests.count", 10, "uri", "/checkout");
            sim.record("http.requests.count", 1, "uri", "/checkout", "outcome", "SERVER_ERROR");
        }
        assertThat(Detectors.gcTimeFraction("gc", 0.1, Duration.ofMinutes(1)).evaluate(sim.context()).get(0).active())
                .isTrue(); // avg 0.155
        assertThat(Detectors.gcTimeFraction("gc", 0.2, Duration.ofMinutes(1)).evaluate(sim.context()).get(0).active())
                .isFalse();
        assertThat(Detectors.gcPauseP99("pause", 0.5, Duration.ofMinutes(1)).evaluate(sim.context()).get(0).active())
                .isTrue();
        assertThat(Detectors.latencyP95("p95", "http.latency.p95", 0.5, Duration.ofMinutes(1), "uri", "/checkout")
                .evaluate(sim.context()).get(0).active()).isTrue(); // 10 of 60 samples at 0.8 s
        // both series match the total (no tag filter): 11/s in total, 1/s errors = 9.1 %
        ErrorRateRule errors = ErrorRateRule.builder("errors").errors("http.requests.count", "outcome", "SERVER_ERROR")
                .total("http.requests.count").maxRatio(0.05).window(Duration.ofMinutes(1)).build();
        Finding f = errors.evaluate(sim.context()).get(0);
        assertThat(f.value()).isEqualTo(1 / 11.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(f.active()).isTrue();
        ErrorRateRule quiet = ErrorRateRule.builder("errors").errors("http.requests.count", "outcome", "SERVER_ERROR")
                .total("http.requests.count").minRequestsPerSecond(100).window(Duration.ofMinutes(1)).build();
        assertThat(quiet.evaluate(sim.context()).get(0).active()).isFalse();
    }
}
