package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Start-up cost: collectors set up at the first tick when deferred; the diagnosis created at first use. */
class PerfDeferredSetUpTest {

    @Test
    void deferredCollectorsAreBoundAtTheFirstTickNotInBuild() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Perf perf = Perf.builder().registry(registry).autoTick(false).deferCollectors(true).build()) {
            assertThat(registry.find(MetricNames.SYSTEM_CPU_LOGICAL).gauge()).isNull();
            assertThat(registry.find(MetricNames.JVM_THREADS_LIVE).gauge()).isNull();
            perf.tick();
            assertThat(registry.find(MetricNames.SYSTEM_CPU_LOGICAL).gauge()).isNotNull();
            assertThat(registry.find(MetricNames.JVM_THREADS_LIVE).gauge().value()).isPositive();
            perf.tick(); // bound once: no duplicate registration, no failure
            assertThat(registry.find(MetricNames.SYSTEM_CPU_LOGICAL).gauges()).hasSize(1);
        }
    }

    @Test
    void collectorsAreBoundInBuildByDefaultAndNeverAfterClose() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Perf perf = Perf.builder().registry(registry).autoTick(false).systemMetrics(false).build()) {
            assertThat(registry.find(MetricNames.JVM_THREADS_LIVE).gauge()).isNotNull();
        }
        SimpleMeterRegistry deferred = new SimpleMeterRegistry();
        Perf perf = Perf.builder().registry(deferred).autoTick(false).deferCollectors(true).systemMetrics(false).build();
        perf.close();
        perf.tick();
        assertThat(deferred.find(MetricNames.JVM_THREADS_LIVE).gauge()).isNull();
    }

    @Test
    void theDiagnosisIsOneInstanceCreatedAtFirstUseAndClosedWithTheHub() {
        Perf perf = Perf.builder().registry(new SimpleMeterRegistry()).autoTick(false).systemMetrics(false).build();
        assertThat(perf.diagnosis()).isSameAs(perf.diagnosis());
        perf.close();
        assertThatThrownBy(() -> perf.diagnosis().start()).isInstanceOf(IllegalStateException.class);
        Perf unused = Perf.builder().registry(new SimpleMeterRegistry()).autoTick(false).systemMetrics(false).build();
        unused.close();
        // first use after close: a closed diagnosis, never a running one
        assertThatThrownBy(() -> unused.diagnosis().start()).isInstanceOf(IllegalStateException.class);
    }
}
