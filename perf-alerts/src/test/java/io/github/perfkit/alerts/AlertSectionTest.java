package io.github.perfkit.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.core.spi.StatusContributor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alerts section: its documented status shape and its dashboard actions. */
@SuppressWarnings("unchecked")
class AlertSectionTest {

    private final Sim sim = new Sim();
    private final CollectingNotifier notifier = new CollectingNotifier();
    private AlertEngine engine;
    private StatusContributor section;

    @BeforeEach
    void start() {
        engine = AlertEngine.builder().history(sim.history).clock(sim.clock).notifier(notifier)
                .repeatInterval(Duration.ofSeconds(10))
                .rules(ThresholdRule.builder("cpu-high").metric("cpu").threshold(0.9).level(AlertLevel.CRITICAL).build(),
                        ThresholdRule.builder("mem-high").metric("mem").threshold(0.8).build())
                .build();
        section = engine.statusContributor();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private void tick(double cpu, double mem) {
        sim.advance();
        sim.record("cpu", cpu, "host", "a");
        sim.record("mem", mem);
        engine.evaluate();
    }

    private static List<Map<String, Object>> list(Map<String, Object> status, String key) {
        return (List<Map<String, Object>>) status.get(key);
    }

    @Test
    void statusHasTheDocumentedShape() {
        tick(0.95, 0.5);
        engine.silence(Silence.of(Map.of("alertname", "cpu-high"), Instant.ofEpochMilli(sim.now()).plusSeconds(60),
                "alice", "deploy"));
        Map<String, Object> status = section.status();
        assertThat(status).containsOnlyKeys("active", "activeCount", "firingByLevel", "recent", "silences",
                "silenceCount", "rules", "evaluations", "ruleErrors", "notificationsSent", "notificationsFailed",
                "notificationsDropped", "notificationsSuppressed");
        Map<String, Object> alert = list(status, "active").get(0);
        assertThat(alert).containsOnlyKeys("id", "rule", "level", "state", "subject", "title", "description", "since",
                "firingSince", "acknowledged", "acknowledgedBy", "silenced");
        assertThat(alert).containsEntry("rule", "cpu-high").containsEntry("level", "CRITICAL")
                .containsEntry("state", "FIRING").containsEntry("subject", "cpu{host=a}")
                .containsEntry("acknowledged", false).containsEntry("silenced", true)
                .containsEntry("since", Instant.ofEpochMilli(sim.now()).toString());
        assertThat(list(status, "recent")).singleElement().satisfies(e -> assertThat(e)
                .containsOnlyKeys("id", "rule", "kind", "level", "state", "subject", "title", "at")
                .containsEntry("kind", "FIRING").containsEntry("id", alert.get("id")));
        assertThat(list(status, "silences")).singleElement().satisfies(si -> assertThat(si)
                .containsOnlyKeys("id", "matchers", "endsAt", "createdBy", "comment")
                .containsEntry("matchers", Map.of("alertname", "cpu-high")).containsEntry("createdBy", "alice"));
        assertThat(status).containsEntry("silenceCount", 1).containsEntry("activeCount", 1);
    }

    @Test
    void recentHistoryIsBoundedAndNewestFirst() {
        for (int i = 0; i < 30; i++) {
            tick(i % 2 == 0 ? 0.95 : 0.1, 0.5);
        }
        List<Map<String, Object>> recent = list(section.status(), "recent");
        assertThat(recent).hasSize(20);
        assertThat(recent.get(0)).containsEntry("kind", "RESOLVED"); // tick 29 resolved the alert
        assertThat(Instant.parse((String) recent.get(0).get("at")))
                .isAfter(Instant.parse((String) recent.get(19).get("at")));
    }

    @Test
    void silenceByRuleHoldsBackItsNotificationsUntilUnsilenced() {
        assertThat(section.actions()).containsExactlyInAnyOrder("silence", "unsilence", "acknowledge");
        Map<String, Object> r = section.act("silence", Map.of("rule", "mem-high", "duration", "30m",
                "comment", "known"));
        String id = (String) r.get("id");
        assertThat(r.get("endsAt")).isEqualTo(Instant.ofEpochMilli(sim.now()).plus(Duration.ofMinutes(30)).toString());
        tick(0.95, 0.9);
        await().atMost(Duration.ofSeconds(5)).until(() -> notifier.events().size() >= 1);
        assertThat(notifier.events()).extracting(AlertEvent::rule).containsExactly("cpu-high");
        assertThat(list(section.status(), "active")).filteredOn(a -> a.get("rule").equals("mem-high"))
                .singleElement().satisfies(a -> assertThat(a).containsEntry("silenced", true));

        assertThat(section.act("unsilence", Map.of("id", id))).containsEntry("removed", true);
        assertThat(engine.silences()).isEmpty();
        sim.advance(Duration.ofSeconds(10));
        tick(0.95, 0.9); // repeat interval passed: mem-high is notified now that it is not silenced
        await().atMost(Duration.ofSeconds(5)).until(() -> notifier.events().stream()
                .anyMatch(e -> e.rule().equals("mem-high")));
    }

    @Test
    void aWarningInhibitedByACriticalIsNotifiedWhenTheCriticalResolves() {
        engine.close();
        engine = AlertEngine.builder().history(sim.history).clock(sim.clock).notifier(notifier).rules(
                ThresholdRule.builder("cpu-crit").metric("cpu").threshold(0.9).level(AlertLevel.CRITICAL).build(),
                ThresholdRule.builder("cpu-warn").metric("cpu").threshold(0.7).level(AlertLevel.WARNING).build())
                .build();
        tick(0.95, 0.5);
        await().atMost(Duration.ofSeconds(5)).until(() -> notifier.events().size() >= 1);
        tick(0.8, 0.5); // critical resolves, the warning still holds
        tick(0.8, 0.5);
        await().atMost(Duration.ofSeconds(5)).until(() -> notifier.events().size() >= 3);
        assertThat(notifier.events()).extracting(e -> e.rule() + " " + e.kind())
                .containsExactly("cpu-crit FIRING", "cpu-crit RESOLVED", "cpu-warn FIRING");
        tick(0.8, 0.5);
        assertThat(engine.stats().notificationsSuppressed()).isEqualTo(1);
    }

    @Test
    void silenceByLabelMatchersIncludingASubjectWithCommas() {
        Map<String, Object> r = section.act("silence", Map.of("matchers",
                "subject=cpu{host=a,zone=b}; level=critical\nalertname=cpu*", "duration", "PT1H", "by", "bob"));
        assertThat((Map<String, String>) r.get("matchers")).containsOnly(Map.entry("subject", "cpu{host=a,zone=b}"),
                Map.entry("level", "critical"), Map.entry("alertname", "cpu*"));
        assertThat(engine.silences()).singleElement().satisfies(si -> {
            assertThat(si.createdBy()).isEqualTo("bob");
            assertThat(si.endsAt()).isEqualTo(Instant.ofEpochMilli(sim.now()).plus(Duration.ofHours(1)));
        });
    }

    @Test
    void acknowledgeByAlertId() {
        tick(0.95, 0.5);
        String id = (String) list(section.status(), "active").get(0).get("id");
        assertThat(section.act("acknowledge", Map.of("id", id, "by", "carol")))
                .containsEntry("acknowledged", true).containsEntry("by", "carol");
        assertThat(list(section.status(), "active").get(0)).containsEntry("acknowledged", true)
                .containsEntry("acknowledgedBy", "carol");
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> section.act("silence", Map.of("duration", "1h")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("matchers");
        assertThatThrownBy(() -> section.act("silence", Map.of("matchers", "no-equals-sign", "duration", "1h")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("matchers")
                .hasMessageContaining("no-equals-sign");
        assertThatThrownBy(() -> section.act("silence", Map.of("rule", "nope", "duration", "1h")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rule");
        assertThatThrownBy(() -> section.act("silence", Map.of("rule", "cpu-high")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duration");
        assertThatThrownBy(() -> section.act("silence", Map.of("rule", "cpu-high", "duration", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duration");
        assertThatThrownBy(() -> section.act("silence", Map.of("rule", "cpu-high", "duration", "90d")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duration");
        assertThatThrownBy(() -> section.act("silence", Map.of("rule", "cpu-high", "duration", "0s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duration");
        assertThatThrownBy(() -> section.act("unsilence", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("id");
        assertThatThrownBy(() -> section.act("unsilence", Map.of("id", "s-unknown")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("id");
        assertThatThrownBy(() -> section.act("acknowledge", Map.of("id", "a-unknown")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("id");
        assertThatThrownBy(() -> section.act("delete-everything", Map.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(engine.silences()).isEmpty();
    }
}
