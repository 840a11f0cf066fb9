package io.github.perfkit.alerts.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.findings.FindingCategory;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingsRuleTest {

    @Test
    void anActiveFindingFiresAnAlertThatResolvesWithIt() {
        MockClock clock = new MockClock();
        clock.add(Duration.ofMillis(1_700_000_000_000L));
        try (Perf perf = Perf.builder().clock(clock).registry(new SimpleMeterRegistry()).autoTick(false)
                .systemMetrics(false).jvmMetrics(false).build()) {
            AlertEngine engine = AlertEngine.builder().perf(perf)
                    .rules(FindingsRule.builder(perf.diagnosis()).build()).build();
            try {
                Instant now = Instant.ofEpochMilli(clock.wallTime());
                Finding leak = new Finding(Finding.idOf(FindingCategory.THREAD_LEAK, "app.Jobs.spawn", "worker-#"),
                        FindingCategory.THREAD_LEAK, "app.Jobs.spawn", "worker-#", Map.of("growth", 40),
                        List.of("app.Jobs.spawn"), now, now, "Live threads named worker-# rose from 10 to 50.", true);
                Finding lock = new Finding(Finding.idOf(FindingCategory.LOCK_CONTENTION, "app.Ledger.post", "app.Ledger"),
                        FindingCategory.LOCK_CONTENTION, "app.Ledger.post", "app.Ledger", Map.of(), List.of(),
                        now, now, "Threads waited 12 s on app.Ledger.", true);
                perf.diagnosis().report(leak);
                perf.diagnosis().report(lock);

                clock.add(Duration.ofSeconds(1));
                engine.evaluate();
                assertThat(engine.activeAlerts()).hasSize(2).allSatisfy(a -> {
                    assertThat(a.rule()).isEqualTo("diagnosis-findings");
                    assertThat(a.level()).isEqualTo(AlertLevel.HIGH);
                });
                assertThat(engine.activeAlerts()).extracting(AlertEvent::subject)
                        .containsExactlyInAnyOrder("thread_leak:app.Jobs.spawn{worker-#}",
                                "lock_contention:app.Ledger.post{app.Ledger}");

                perf.diagnosis().report(leak.resolved(now.plusSeconds(2)));
                clock.add(Duration.ofSeconds(1));
                engine.evaluate();
                assertThat(engine.activeAlerts()).extracting(AlertEvent::subject)
                        .containsExactly("lock_contention:app.Ledger.post{app.Ledger}");
            } finally {
                engine.close();
            }
        }
    }

    @Test
    void categoriesLimitWhatTheRuleReports() {
        try (Perf perf = Perf.builder().autoTick(false).systemMetrics(false).jvmMetrics(false).build()) {
            Instant now = Instant.now();
            perf.diagnosis().report(new Finding("n", FindingCategory.N_PLUS_ONE, "app.A.list", "select 1", Map.of(),
                    List.of(), now, now, "batch it", true));
            FindingsRule onlyLeaks = FindingsRule.builder(perf.diagnosis())
                    .categories(FindingCategory.MEMORY_LEAK, FindingCategory.THREAD_LEAK).build();
            assertThat(onlyLeaks.evaluate(null)).isEmpty();
            assertThat(FindingsRule.builder(perf.diagnosis()).build().evaluate(null)).singleElement()
                    .satisfies(f -> assertThat(f.labels()).containsEntry("category", "n_plus_one"));
        }
    }

    @Test
    void theDefaultsForAHubIncludeTheFindingsRuleAndItFires() {
        MockClock clock = new MockClock();
        clock.add(Duration.ofMillis(1_700_000_000_000L));
        try (Perf perf = Perf.builder().clock(clock).registry(new SimpleMeterRegistry()).autoTick(false)
                .systemMetrics(false).jvmMetrics(false).build()) {
            List<io.github.perfkit.alerts.AlertRule> rules = io.github.perfkit.alerts.config.RuleLoader.defaults(perf);
            assertThat(rules).hasSize(io.github.perfkit.alerts.config.RuleLoader.defaults().size() + 1);
            assertThat(rules.get(rules.size() - 1)).isInstanceOf(FindingsRule.class)
                    .extracting(io.github.perfkit.alerts.AlertRule::name).isEqualTo("diagnosis-findings");
            try (AlertEngine engine = AlertEngine.builder().perf(perf).rules(rules).build()) {
                Instant now = Instant.ofEpochMilli(clock.wallTime());
                perf.diagnosis().report(new Finding("n", FindingCategory.N_PLUS_ONE, "app.A.list", "select 1",
                        Map.of(), List.of(), now, now, "batch it", true));
                clock.add(Duration.ofSeconds(1));
                engine.evaluate();
                assertThat(engine.activeAlerts()).extracting(AlertEvent::rule).contains("diagnosis-findings");
            }
        }
    }
}
