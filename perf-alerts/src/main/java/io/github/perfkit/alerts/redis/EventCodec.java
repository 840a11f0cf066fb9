package io.github.perfkit.alerts.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertState;
import io.github.perfkit.alerts.DataPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** JSON form of an {@link AlertEvent} with explicit fields (no polymorphic typing). Thread-safe: stateless. */
final class EventCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventCodec() {
    }

    static String encode(AlertEvent e) throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("rule", e.rule());
        m.put("subject", e.subject());
        m.put("labels", e.labels());
        m.put("level", e.level().name());
        m.put("state", e.state().name());
        m.put("kind", e.kind().name());
        m.put("title", e.title());
        m.put("description", e.description());
        m.put("value", Double.isFinite(e.value()) ? e.value() : null);
        List<List<Object>> points = new ArrayList<>();
        for (DataPoint p : e.firedBy()) {
            points.add(List.of(p.epochMillis(), p.value()));
        }
        m.put("firedBy", points);
        m.put("suggestedActions", e.suggestedActions());
        m.put("startedAt", e.startedAt().toEpochMilli());
        m.put("firingAt", e.firingAt() == null ? null : e.firingAt().toEpochMilli());
        m.put("resolvedAt", e.resolvedAt() == null ? null : e.resolvedAt().toEpochMilli());
        m.put("at", e.at().toEpochMilli());
        m.put("consecutiveFailures", e.consecutiveFailures());
        m.put("acknowledgedBy", e.acknowledgedBy());
        return JSON.writeValueAsString(m);
    }

    static AlertEvent decode(String json) throws JsonProcessingException {
        JsonNode n = JSON.readTree(json);
        Map<String, String> labels = new LinkedHashMap<>();
        n.path("labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
        List<DataPoint> points = new ArrayList<>();
        for (JsonNode p : n.path("firedBy")) {
            points.add(new DataPoint(p.get(0).asLong(), p.get(1).asDouble()));
        }
        List<String> actions = new ArrayList<>();
        n.path("suggestedActions").forEach(a -> actions.add(a.asText()));
        return new AlertEvent(n.path("id").asText(), n.path("rule").asText(), n.path("subject").asText(), labels,
                AlertLevel.valueOf(n.path("level").asText()), AlertState.valueOf(n.path("state").asText()),
                AlertEvent.Kind.valueOf(n.path("kind").asText()), n.path("title").asText(),
                n.path("description").asText(), n.path("value").isNumber() ? n.path("value").asDouble() : Double.NaN,
                points, actions, Instant.ofEpochMilli(n.path("startedAt").asLong()), instant(n.get("firingAt")),
                instant(n.get("resolvedAt")), Instant.ofEpochMilli(n.path("at").asLong()),
                n.path("consecutiveFailures").asInt(),
                n.hasNonNull("acknowledgedBy") ? n.get("acknowledgedBy").asText() : null);
    }

    private static @Nullable Instant instant(@Nullable JsonNode n) {
        return n == null || n.isNull() ? null : Instant.ofEpochMilli(n.asLong());
    }
}
