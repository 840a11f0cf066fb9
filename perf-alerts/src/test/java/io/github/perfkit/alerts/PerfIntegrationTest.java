package io.github.perfkit.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.metrics.MetricNames;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine on a real hub: history, clock and registry from Perf, status section registered. */
class PerfIntegrationTest {

    @Test
    void engineBoundToAHubEvaluatesItsHistoryAndContributesStatus() {
        MockClock clock = new MockClock();
        clock.add(Duration.ofMillis(1_700_000_000_000L));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Perf perf = Perf.builder().clock(clock).registry(registry).autoTick(false).systemMetrics(false)
                .build()) {
            AlertEngine engine = AlertEngine.builder().perf(perf).rules(ThresholdRule.builder("threads")
                    .metric(MetricNames.JVM_THREADS_LIVE).comparison(Comparison.GT).threshold(0).build()).build();
            try {
                clock.add(Duration.ofSeconds(1));
                perf.tick(); // samples the JVM metrics into the history
                engine.evaluate();
                assertThat(engine.activeAlerts()).extracting(AlertEvent::rule).containsExactly("threads");
                Map<String, Object> section = perf.statusSections().get("alerts");
                assertThat(section).containsEntry("activeCount", 1);
                assertThat(registry.get(io.github.perfkit.alerts.MetricNames.ACTIVE).tag("level", "warning").gauge()
                        .value()).isEqualTo(1);
                assertThatThrownBy(() -> AlertEngine.builder().perf(perf).build())
                        .isInstanceOf(IllegalArgumentException.class);
            } finally {
                engine.close();
            }
            assertThat(perf.statusSections()).doesNotContainKey("alerts");
        }
    }
}
