package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.health.HealthReport;
import io.github.perfkit.core.health.HealthStatus;
import io.github.perfkit.core.history.HistoryQuery;
import io.github.perfkit.core.history.TimeSeries;
import io.github.perfkit.core.spi.StatusContributor;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PerfTest {

    @Test
    void theHubOwnsOneProfilerSoOnlyOneOnDemandRecordingRunsAtATimeAndItClosesWithTheHub() throws Exception {
        Perf perf = Perf.builder().registry(new SimpleMeterRegistry()).autoTick(false).systemMetrics(false)
                .profiling(io.github.perfkit.core.profiling.ProfilingConfig.ofDefaults()).build();
        io.github.perfkit.core.profiling.JfrProfiler profiler = perf.profiling();
        assertThat(perf.profiling()).isSameAs(profiler);
        io.github.perfkit.core.profiling.ProfileRecording running =
                profiler.record(io.github.perfkit.core.profiling.ProfileSettings.CPU, Duration.ofMinutes(1));
        assertThatThrownBy(() -> perf.profiling().record(io.github.perfkit.core.profiling.ProfileSettings.CPU,
                Duration.ofSeconds(5))).isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
        perf.close();
        assertThat(running.isDone()).as("closing the hub ends its recording").isTrue();
        assertThatThrownBy(perf::profiling).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void tickFeedsTheHistoryFromTrackerAndCollectors() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(io.micrometer.core.instrument.simple.SimpleConfig.DEFAULT, clock);
        try (Perf perf = Perf.builder().registry(registry).clock(clock).autoTick(false).build()) {
            Operation op = perf.tracker().operation("checkout");
            long start = clock.wallTime();
            for (int second = 0; second < 5; second++) {
                for (int i = 0; i < 10; i++) {
                    op.recordNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                clock.add(Duration.ofSeconds(1));
                perf.tick();
            }
            List<TimeSeries> rate = perf.history().query(HistoryQuery.builder("checkout.count")
                    .from(Instant.ofEpochMilli(start))
                    .to(Instant.ofEpochMilli(clock.wallTime()))
                    .step(Duration.ofSeconds(1))
                    .build());
            assertThat(rate).hasSize(1);
            assertThat(rate.get(0).points()).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.avg()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.01)));
            assertThat(perf.history().latest("checkout.mean", Tags.empty()))
                    .hasValueSatisfying(p -> assertThat(p.avg()).isCloseTo(0.020, org.assertj.core.data.Offset.offset(1e-4)));
            assertThat(perf.history().names()).contains("perfkit.jvm.threads.live", "perfkit.system.cpu.usage");
        }
    }

    @Test
    void autoTickRunsAndCloseLeavesNoThreadBehind() {
        Perf perf = Perf.builder().tickInterval(Duration.ofMillis(100)).build();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> perf.history().latest("perfkit.jvm.threads.live", Tags.empty()).isPresent());
            HealthReport liveness = perf.health().check(HealthGroup.LIVENESS);
            assertThat(liveness.components()).containsKeys("deadlocks", "tick");
            assertThat(liveness.status()).isEqualTo(HealthStatus.UP);
            assertThat(perf.health().check(HealthGroup.READINESS).components()).containsKeys("heap", "disk");
        } finally {
            perf.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("perfkit-")));
        perf.close(); // idempotent
    }

    @Test
    void statusContributorsAreNamedUniqueAndIsolated() {
        try (Perf perf = Perf.builder().autoTick(false).systemMetrics(false).jvmMetrics(false).build()) {
            perf.register(contributor("orders", () -> Map.of("queued", 3)));
            perf.register(contributor("broken", () -> {
                throw new IllegalStateException("boom");
            }));
            assertThatThrownBy(() -> perf.register(contributor("orders", Map::of)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
            assertThatThrownBy(() -> perf.register(contributor("Bad Name", Map::of)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad Name");
            Map<String, Map<String, Object>> sections = perf.statusSections();
            assertThat(sections.keySet()).containsExactly("orders", "broken");
            assertThat(sections.get("orders")).containsEntry("queued", 3);
            assertThat(sections.get("broken").get("error").toString()).contains("IllegalStateException", "boom");
            assertThat(perf.unregister("broken")).isTrue();
            assertThat(perf.statusSections()).containsOnlyKeys("orders");
        }
    }

    @Test
    void defaultGuardCapsTagFloodsOnTheRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Perf perf = Perf.builder().registry(registry).autoTick(false).build()) {
            for (int i = 0; i < 2_000; i++) {
                registry.counter("app.requests", "uri", "/item/" + i).increment();
            }
            assertThat(registry.find("app.requests").counters()).hasSizeLessThanOrEqualTo(501);
            assertThat(perf.registry()).isSameAs(registry);
        }
    }

    @Test
    void diagnosisIsOptInAndItsFindingsAreReachableFromTheHub() {
        try (Perf perf = Perf.builder().autoTick(false).systemMetrics(false).jvmMetrics(false).diagnosis(true)
                .diagnosis(io.github.perfkit.core.findings.DiagnosisConfig.builder().window(Duration.ofSeconds(1)).build())
                .build()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().contains("JFR Event Stream")));
            assertThat(perf.diagnosis().active()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().contains("JFR Event Stream")));
    }

    @Test
    void badBuilderValuesFailFastNamingTheSetting() {
        assertThatThrownBy(() -> Perf.builder().tickInterval(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tickInterval");
        assertThatThrownBy(() -> Perf.builder().registry(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("registry");
    }

    private static StatusContributor contributor(String name, java.util.function.Supplier<Map<String, Object>> status) {
        return new StatusContributor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Map<String, Object> status() {
                return status.get();
            }
        };
    }
}
