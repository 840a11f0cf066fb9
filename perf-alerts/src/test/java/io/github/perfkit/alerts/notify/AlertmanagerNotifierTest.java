package io.github.perfkit.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.AlertState;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertmanagerNotifierTest {

    @Test
    void payloadFollowsApiV2WithResolve() throws Exception {
        AlertmanagerNotifier am = AlertmanagerNotifier.builder(URI.create("http://am:9093/")).label("env", "prod")
                .validFor(Duration.ofHours(1)).build();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        AlertEvent firing = new AlertEvent("a1", "disk", "disk{mount=/}", Map.of("mount", "/", "disk.kind", "ssd",
                "level", "critical", "baseLevel", "critical"), AlertLevel.CRITICAL, AlertState.FIRING,
                AlertEvent.Kind.FIRING, "title", "desc", 0.05, List.of(), List.of("free space"), t, t, null, t, 1, null);
        AlertEvent resolved = new AlertEvent("a1", "disk", "disk{mount=/}", Map.of("mount", "/", "level", "info",
                "baseLevel", "critical"), AlertLevel.INFO, AlertState.RESOLVED, AlertEvent.Kind.RESOLVED, "t", "d", 0.5,
                List.of(), List.of(), t, t, t.plusSeconds(60), t.plusSeconds(60), 1, null);
        JsonNode json = new ObjectMapper().readTree(am.body(new AlertNotification(List.of(firing, resolved), t)));
        assertThat(json.isArray()).isTrue();
        JsonNode a = json.get(0);
        assertThat(a.get("labels").get("alertname").asText()).isEqualTo("disk");
        assertThat(a.get("labels").get("severity").asText()).isEqualTo("critical");
        assertThat(a.get("labels").get("disk_kind").asText()).isEqualTo("ssd");
        assertThat(a.get("labels").get("env").asText()).isEqualTo("prod");
        assertThat(a.get("labels").has("level")).isFalse();
        assertThat(a.get("annotations").get("suggested_actions").asText()).isEqualTo("free space");
        assertThat(a.get("endsAt").asText()).isEqualTo("2026-01-01T01:00:00Z");
        JsonNode r = json.get(1);
        assertThat(r.get("labels").get("severity").asText()).isEqualTo("critical"); // same identity as firing
        assertThat(r.get("endsAt").asText()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(AlertmanagerNotifier.labelName("1a.b-c")).isEqualTo("_a_b_c");
        assertThat(am.toString()).isEqualTo("AlertmanagerNotifier[http://am:9093/api/v2/alerts]");
        assertThatThrownBy(() -> AlertmanagerNotifier.builder(URI.create("ftp://x")).build())
                .hasMessageContaining("http or https");
    }
}
