package io.github.perfkit.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertEngineTest {

    private final Sim sim = new Sim();
    private final CollectingNotifier notifier = new CollectingNotifier();
    private AlertEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private AlertEngine engine(AlertEngine.Builder b) {
        engine = b.history(sim.history).clock(sim.clock).notifier(notifier).build();
        return engine;
    }

    private static ThresholdRule.Builder cpu(String name, double threshold) {
        return ThresholdRule.builder(name).metric("cpu").comparison(Comparison.GT).threshold(threshold)
                .window(Duration.ofSeconds(5));
    }

    private void tick(double cpu) {
        sim.advance();
        sim.record("cpu", cpu, "host", "a");
        engine.evaluate();
    }

    private void awaitEvents(int n) {
        await().atMost(Duration.ofSeconds(5)).until(() -> notifier.events().size() >= n);
        await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(5))
                .until(() -> notifier.events().size() == n);
    }

    @Test
    void pendingForTheForDurationThenFiringThenResolvedWithHysteresis() {
        engine(AlertEngine.builder().rules(cpu("cpu-high", 0.9).resolveThreshold(0.8)
                .forDuration(Duration.ofSeconds(3)).level(AlertLevel.HIGH).suggestedActions("look at top").build()));
        tick(0.95);
        assertThat(engine.activeAlerts()).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(AlertState.PENDING);
            assertThat(a.subject()).isEqualTo("cpu{host=a}");
        });
        tick(0.95);
        tick(0.95);
        assertThat(engine.activeAlerts().get(0).state()).isEqualTo(AlertState.PENDING);
        tick(0.95); // 3 s after the first sighting
        assertThat(engine.activeAlerts().get(0).state()).isEqualTo(AlertState.FIRING);
        awaitEvents(1);
        AlertEvent fired = notifier.events().get(0);
        assertThat(fired.kind()).isEqualTo(AlertEvent.Kind.FIRING);
        assertThat(fired.level()).isEqualTo(AlertLevel.HIGH);
        assertThat(fired.title()).contains("cpu-high").contains("cpu{host=a}");
        assertThat(fired.description()).contains("0.95").contains("> 0.9");
        assertThat(fired.firedBy()).isNotEmpty();
        assertThat(fired.suggestedActions()).containsExactly("look at top");
        assertThat(fired.labels()).containsEntry("host", "a").containsEntry("alertname", "cpu-high");

        // hysteresis: below 0.9 but above 0.8 still firing (window is 5 s, aggregation last)
        tick(0.85);
        assertThat(engine.activeAlerts()).hasSize(1);
        tick(0.75);
        assertThat(engine.activeAlerts()).isEmpty();
        awaitEvents(2);
        AlertEvent resolved = notifier.events().get(1);
        assertThat(resolved.kind()).isEqualTo(AlertEvent.Kind.RESOLVED);
        assertThat(resolved.level()).isEqualTo(AlertLevel.INFO);
        assertThat(resolved.id()).isEqualTo(fired.id());
        assertThat(resolved.resolvedAt()).isNotNull();
        assertThat(engine.history()).extracting(AlertEvent::kind).containsExactly(
                AlertEvent.Kind.PENDING, AlertEvent.Kind.FIRING, AlertEvent.Kind.RESOLVED);
    }

    @Test
    void pendingThatClearsBeforeTheForDurationNeverNotifies() {
        engine(AlertEngine.builder().rules(cpu("cpu-high", 0.9).forDuration(Duration.ofSeconds(10)).build()));
        tick(0.95);
        tick(0.95);
        tick(0.1);
        tick(0.1);
        assertThat(engine.activeAlerts()).isEmpty();
        assertThat(notifier.events()).isEmpty();
    }

    @Test
    void escalatesFromHighToCriticalAfterThreeConsecutiveFailures() {
        engine(AlertEngine.builder().rules(cpu("cpu-high", 0.9).level(AlertLevel.HIGH)
                .escalation(Escalation.after(3, AlertLevel.CRITICAL)).build()));
        tick(0.95);
        tick(0.95);
        assertThat(engine.activeAlerts().get(0).level()).isEqualTo(AlertLevel.HIGH);
        tick(0.95);
        assertThat(engine.activeAlerts().get(0).level()).isEqualTo(AlertLevel.CRITICAL);
        tick(0.95);
        awaitEvents(2);
        assertThat(notifier.events()).extracting(AlertEvent::kind, AlertEvent::level).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertEvent.Kind.FIRING, AlertLevel.HIGH),
                org.assertj.core.groups.Tuple.tuple(AlertEvent.Kind.ESCALATED, AlertLevel.CRITICAL));
    }

    @Test
    void stillFiringIsRepeatedOnlyAfterTheRepeatIntervalAndNotOnceAcknowledged() {
        engine(AlertEngine.builder().repeatInterval(Duration.ofSeconds(60)).rules(cpu("cpu-high", 0.9).build()));
        for (int i = 0; i < 61; i++) {
            tick(0.95);
        }
        awaitEvents(2);
        assertThat(notifier.events()).extracting(AlertEvent::kind)
                .containsExactly(AlertEvent.Kind.FIRING, AlertEvent.Kind.REPEAT);
        String id = engine.activeAlerts().get(0).id();
        assertThat(engine.acknowledge(id, "alice")).isTrue();
        assertThat(engine.acknowledge("nope", "alice")).isFalse();
        for (int i = 0; i < 130; i++) {
            tick(0.95);
        }
        assertThat(engine.activeAlerts().get(0).acknowledgedBy()).isEqualTo("alice");
        tick(0.1);
        awaitEvents(3); // only the recovery notice after the acknowledgement
        assertThat(notifier.events().get(2).kind()).isEqualTo(AlertEvent.Kind.RESOLVED);
    }

    @Test
    void flappingMetricForTenMinutesGivesSevenNotifications() {
        // Toggles every 1 s tick for 10 min. Stated bound: with flap control at 3 firing starts per 10 min,
        // 3 FIRING + 3 RESOLVED + 1 FLAPPING = 7 events, each in its own notification.
        engine(AlertEngine.builder().flapControl(3, Duration.ofMinutes(10)).rules(cpu("cpu-high", 0.9)
                .window(Duration.ofSeconds(1)).build()));
        for (int i = 0; i < 600; i++) {
            tick(i % 2 == 0 ? 0.95 : 0.1);
        }
        awaitEvents(7);
        assertThat(notifier.received).hasSize(7);
        assertThat(notifier.events()).extracting(AlertEvent::kind).containsExactly(
                AlertEvent.Kind.FIRING, AlertEvent.Kind.RESOLVED, AlertEvent.Kind.FIRING, AlertEvent.Kind.RESOLVED,
                AlertEvent.Kind.FIRING, AlertEvent.Kind.RESOLVED, AlertEvent.Kind.FLAPPING);
        // 300 firing starts: 3 notified, the 4th is the FLAPPING notice, 296 held back, plus the recovery
        // of the incident whose FLAPPING notice went out
        assertThat(engine.stats().notificationsSuppressed()).isEqualTo(297);
    }

    @Test
    void flappingWithAForDurationNeverFires() {
        engine(AlertEngine.builder().rules(cpu("cpu-high", 0.9).window(Duration.ofSeconds(1))
                .forDuration(Duration.ofSeconds(2)).build()));
        for (int i = 0; i < 600; i++) {
            tick(i % 2 == 0 ? 0.95 : 0.1);
        }
        assertThat(engine.history()).extracting(AlertEvent::kind).containsOnly(AlertEvent.Kind.PENDING);
        assertThat(notifier.events()).isEmpty();
    }

    @Test
    void silenceHoldsBackMatchingAlertsUntilItExpires() {
        engine(AlertEngine.builder().rules(cpu("cpu-high", 0.9).window(Duration.ofSeconds(1)).build()));
        String id = engine.silence(Silence.of(Map.of("alertname", "cpu-*", "host", "a"),
                Instant.ofEpochMilli(sim.now()).plusSeconds(30), "bob", "maintenance"));
        assertThat(engine.silences()).extracting(Silence::id).containsExactly(id);
        tick(0.95);
        tick(0.1);
        assertThat(engine.history()).extracting(AlertEvent::kind)
                .containsExactly(AlertEvent.Kind.FIRING, AlertEvent.Kind.RESOLVED);
        for (int i = 0; i < 30; i++) {
            tick(0.1);
        }
        assertThat(engine.silences()).isEmpty();
        tick(0.95);
        awaitEvents(1);
        assertThat(engine.stats().notificationsSuppressed()).isEqualTo(1);
        assertThat(engine.expireSilence(id)).isFalse();
    }

    @Test
    void firingCriticalInhibitsTheWarningOfTheSameSubjectAndOneTickIsOneNotification() {
        engine(AlertEngine.builder().rules(
                cpu("cpu-warn", 0.7).level(AlertLevel.WARNING).build(),
                cpu("cpu-crit", 0.9).level(AlertLevel.CRITICAL).build(),
                ThresholdRule.builder("mem").metric("mem").threshold(10).level(AlertLevel.WARNING).build()));
        sim.advance();
        sim.record("cpu", 0.95, "host", "a");
        sim.record("mem", 20);
        engine.evaluate();
        awaitEvents(2);
        assertThat(notifier.received).hasSize(1);
        assertThat(notifier.received.get(0).events()).extracting(AlertEvent::rule)
                .containsExactlyInAnyOrder("cpu-crit", "mem");
        assertThat(notifier.received.get(0).maxLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(engine.activeAlerts()).extracting(AlertEvent::rule).containsExactly("cpu-crit", "cpu-warn", "mem");
    }

    @Test
    void warningAloneIsNotInhibited() {
        engine(AlertEngine.builder().rules(cpu("cpu-warn", 0.7).level(AlertLevel.WARNING).build(),
                cpu("cpu-crit", 0.9).level(AlertLevel.CRITICAL).build()));
        tick(0.8);
        awaitEvents(1);
        assertThat(notifier.events().get(0).rule()).isEqualTo("cpu-warn");
    }

    @Test
    void aFailingRuleIsCountedAndOthersStillRun() {
        AlertRule broken = new AlertRule() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public AlertLevel level() {
                return AlertLevel.HIGH;
            }

            @Override
            public List<Finding> evaluate(RuleContext context) {
                throw new IllegalStateException("boom");
            }
        };
        engine(AlertEngine.builder().rules(broken, cpu("cpu-high", 0.9).build()));
        tick(0.95);
        tick(0.95);
        assertThat(engine.stats().ruleErrors()).isEqualTo(2);
        assertThat(engine.activeAlerts()).extracting(AlertEvent::rule).containsExactly("cpu-high");
    }

    @Test
    void historyIsBounded() {
        engine(AlertEngine.builder().historySize(10).flapControl(1000, Duration.ofMinutes(1))
                .rules(cpu("cpu-high", 0.9).window(Duration.ofSeconds(1)).build()));
        for (int i = 0; i < 100; i++) {
            tick(i % 2 == 0 ? 0.95 : 0.1);
        }
        assertThat(engine.history()).hasSize(10);
        awaitEvents(100);
    }

    @Test
    void activeAlertsAreCapped() {
        engine(AlertEngine.builder().maxActiveAlerts(2).rules(ThresholdRule.builder("any").metric("cpu")
                .threshold(0.5).build()));
        sim.advance();
        for (int i = 0; i < 5; i++) {
            sim.record("cpu", 0.9, "host", "h" + i);
        }
        engine.evaluate();
        assertThat(engine.activeAlerts()).hasSize(2);
        assertThat(engine.stats().alertsDropped()).isEqualTo(3);
    }

    @Test
    void statusContributorReportsActiveAlertsAndCountsByLevel() {
        engine(AlertEngine.builder().rules(cpu("cpu-crit", 0.9).level(AlertLevel.CRITICAL).build()));
        tick(0.95);
        Map<String, Object> status = engine.statusContributor().status();
        assertThat(engine.statusContributor().name()).isEqualTo("alerts");
        assertThat(status).containsEntry("activeCount", 1);
        assertThat((Map<String, Object>) status.get("firingByLevel")).containsEntry("critical", 1)
                .containsEntry("warning", 0);
        assertThat((List<?>) status.get("active")).hasSize(1);
    }

    @Test
    void builderNamesTheBadRuleAndField() {
        assertThatThrownBy(() -> ThresholdRule.builder("cpu").metric("cpu").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rule 'cpu'")
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> ThresholdRule.builder("cpu").metric("cpu").threshold(0.9).resolveThreshold(0.95)
                .build()).hasMessageContaining("resolveThreshold");
        assertThatThrownBy(() -> AlertEngine.builder().history(sim.history)
                .rules(cpu("x", 1).build(), cpu("x", 2).build()).build()).hasMessageContaining("rule 'x'");
        assertThatThrownBy(() -> AlertEngine.builder().history(sim.history).historySize(0).build())
                .hasMessageContaining("historySize");
    }

    @Test
    void startOwnsADaemonThreadThatEvaluates() {
        engine(AlertEngine.builder().rules(cpu("cpu-high", 0.9).build()));
        sim.record("cpu", 0.95, "host", "a");
        engine.start(Duration.ofMillis(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.stats().evaluations() >= 2);
        assertThatThrownBy(() -> engine.start(Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class);
        awaitEvents(1);
    }

    @Test
    void compositeChildrenKeepTheirHysteresis() {
        engine(AlertEngine.builder().rules(CompositeRule.builder("hot-and-busy").mode(CompositeRule.Mode.ALL)
                .add(cpu("cpu-child", 0.9).resolveThreshold(0.8).build())
                .add(ThresholdRule.builder("mem-child").metric("mem").threshold(0.5).build()).build()));
        double[] cpu = {0.95, 0.85, 0.85, 0.75};
        boolean[] expectActive = {true, true, true, false};
        for (int i = 0; i < cpu.length; i++) {
            sim.advance();
            sim.record("cpu", cpu[i], "host", "a");
            sim.record("mem", 0.6);
            engine.evaluate();
            assertThat(engine.activeAlerts()).as("tick %d, cpu %s", i, cpu[i]).hasSize(expectActive[i] ? 1 : 0);
        }
        // 0.85 alone (never above 0.9 while the composite was quiet) does not fire it
        sim.advance();
        sim.record("cpu", 0.85, "host", "a");
        sim.record("mem", 0.6);
        engine.evaluate();
        assertThat(engine.activeAlerts()).isEmpty();
    }
}
