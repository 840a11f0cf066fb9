package io.github.perfkit.alerts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.Comparison;
import io.github.perfkit.alerts.CompositeRule;
import io.github.perfkit.alerts.Sim;
import io.github.perfkit.alerts.ThresholdRule;
import io.github.perfkit.core.metrics.MetricNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleLoaderTest {

    @Test
    void defaultsHoldTheSeedThresholds() {
        List<AlertRule> rules = RuleLoader.defaults();
        assertThat(rules).extracting(AlertRule::name).contains("cpu-warning", "cpu-critical", "memory-warning",
                "memory-critical", "disk-full", "http-error-rate", "http-latency-p95", "memory-leak");
        ThresholdRule cpuWarn = (ThresholdRule) byName(rules, "cpu-warning");
        assertThat(cpuWarn.metric()).isEqualTo(MetricNames.SYSTEM_CPU_USAGE);
        assertThat(cpuWarn.threshold()).isEqualTo(0.70);
        assertThat(cpuWarn.level()).isEqualTo(AlertLevel.WARNING);
        assertThat(cpuWarn.forDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(((ThresholdRule) byName(rules, "cpu-critical")).threshold()).isEqualTo(0.90);
        assertThat(((ThresholdRule) byName(rules, "memory-warning")).threshold()).isEqualTo(0.80);
        assertThat(((ThresholdRule) byName(rules, "memory-critical")).ratioTo()).isEqualTo(MetricNames.SYSTEM_MEMORY_TOTAL);
        ThresholdRule disk = (ThresholdRule) byName(rules, "disk-full");
        assertThat(disk.comparison()).isEqualTo(Comparison.LT);
        assertThat(disk.threshold()).isEqualTo(0.10); // usable below 10 % = more than 90 % used
        assertThat(((ThresholdRule) byName(rules, "http-latency-p95")).threshold()).isEqualTo(0.5);
        assertThat(byName(rules, "http-error-rate").escalation()).isNotNull();
        ThresholdRule perfkitLatency = (ThresholdRule) byName(rules, "perfkit-http-latency-p95");
        assertThat(perfkitLatency.metric()).isEqualTo("perfkit.http.server.latency");
        assertThat(perfkitLatency.tags()).containsExactly(io.micrometer.core.instrument.Tag.of("quantile", "0.95"));
        assertThat(byName(rules, "perfkit-http-error-rate").escalation()).isNotNull();
    }

    @Test
    void defaultsFireOnSimulatedDataAndCriticalInhibitsWarning() {
        Sim sim = new Sim();
        List<AlertEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AlertEngine engine = AlertEngine.builder().history(sim.history).clock(sim.clock)
                .rules(RuleLoader.defaults()).notifier(new io.github.perfkit.alerts.Notifier() {
                    @Override
                    public String name() {
                        return "t";
                    }

                    @Override
                    public void send(io.github.perfkit.alerts.AlertNotification n) {
                        events.addAll(n.events());
                    }
                }).build()) {
            for (int i = 0; i < 310; i++) { // past the 5 min for-duration of disk-full
                sim.advance();
                sim.record(MetricNames.SYSTEM_CPU_USAGE, 0.95);
                sim.record(MetricNames.SYSTEM_DISK_USABLE, 5, "mount", "/");
                sim.record(MetricNames.SYSTEM_DISK_TOTAL, 100, "mount", "/");
                sim.record(MetricNames.SYSTEM_MEMORY_USED, 50);
                sim.record(MetricNames.SYSTEM_MEMORY_TOTAL, 100);
                engine.evaluate();
            }
            assertThat(engine.activeAlerts()).extracting(AlertEvent::rule)
                    .containsExactlyInAnyOrder("cpu-critical", "disk-full", "cpu-warning");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> events.size() >= 2);
            assertThat(events).extracting(AlertEvent::rule).containsExactlyInAnyOrder("cpu-critical", "disk-full");
            assertThat(engine.activeAlerts()).filteredOn(a -> a.rule().equals("disk-full")).singleElement()
                    .satisfies(a -> assertThat(a.subject()).isEqualTo("perfkit.system.disk.usable{mount=/}"));
        }
    }

    @Test
    void overridesReplaceAndDisableDefaultsByName() {
        List<AlertRule> rules = RuleLoader.override(RuleLoader.defaults(), """
                rules:
                  - name: cpu-warning
                    type: threshold
                    metric: perfkit.system.cpu.usage
                    threshold: 0.8
                  - name: disk-full
                    enabled: false
                  - name: heartbeat
                    type: absence
                    metric: app.heartbeat
                    window: 2m
                  - name: busy-and-slow
                    type: composite
                    mode: all
                    level: critical
                    rules:
                      - { name: cpu, type: threshold, metric: cpu, threshold: 0.9 }
                      - { name: slow, type: threshold, metric: lat, threshold: 1, aggregation: p99 }
                """);
        assertThat(((ThresholdRule) byName(rules, "cpu-warning")).threshold()).isEqualTo(0.8);
        assertThat(rules).extracting(AlertRule::name).doesNotContain("disk-full").contains("heartbeat", "cpu-critical");
        assertThat(((CompositeRule) byName(rules, "busy-and-slow")).children()).hasSize(2);
    }

    @Test
    void jsonFilesLoadToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.json");
        Files.writeString(file, """
                {"rules": [{"name": "q", "type": "rate-of-change", "metric": "queue", "thresholdPercent": 50,
                            "window": "PT5M", "level": "high", "escalation": {"after": 3, "level": "critical"}}]}
                """);
        List<AlertRule> rules = RuleLoader.load(file);
        assertThat(rules).singleElement().satisfies(r -> {
            assertThat(r.level()).isEqualTo(AlertLevel.HIGH);
            assertThat(r.escalation().consecutiveFailures()).isEqualTo(3);
        });
    }

    @Test
    void badRulesFailFastNamingTheRuleAndTheField() {
        assertBad("{name: a, type: threshold, metric: m, threshold: 1, treshold: 2}", "rule 'a': treshold");
        assertBad("{name: b, type: threshold, metric: m}", "rule 'b': threshold must be set");
        assertBad("{name: c, type: threshold, metric: m, threshold: high}", "rule 'c': threshold must be a number");
        assertBad("{name: d, type: threshold, metric: m, threshold: 1, comparison: '=>'}", "rule 'd': comparison");
        assertBad("{name: e, type: threshold, metric: m, threshold: 1, window: 5 minutes}", "rule 'e': window");
        assertBad("{name: f, type: threshold, metric: m, threshold: 1, level: urgent}", "rule 'f': level");
        assertBad("{name: g, type: threshold, metric: m, threshold: 1, escalation: {after: 1, level: critical}}",
                "rule 'g': escalation.after");
        assertBad("{name: h, type: magic}", "rule 'h': type unknown type 'magic'");
        assertBad("{name: i, type: threshold, metric: m, threshold: 1, resolveThreshold: 2}",
                "rule 'i': resolveThreshold");
        assertBad("{name: j, type: memory-leak, minR2: 3}", "rule 'j': minR2");
        assertBad("{type: threshold}", "rule #1: name must be set");
        assertThatThrownBy(() -> RuleLoader.parse("rules:\n  - {name: x, type: absence, metric: m}\n"
                + "  - {name: x, type: absence, metric: m}")).hasMessage("rule 'x': name is used by two rules");
        assertThatThrownBy(() -> RuleLoader.parse("nothing: here")).hasMessageContaining("'rules' list");
        assertThatThrownBy(() -> RuleLoader.parse("rules: [ {")).hasMessageContaining("not valid YAML");
    }

    private static void assertBad(String rule, String message) {
        assertThatThrownBy(() -> RuleLoader.parse("rules:\n  - " + rule)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static AlertRule byName(List<AlertRule> rules, String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
