package io.github.perfkit.servlet;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.Silence;
import io.github.perfkit.core.spi.StatusContributor;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert engine's section with the two actions the dashboard offers. perf-alerts' own
 * contributor shows the same status; its actions are added here until perf-alerts ships them
 * (the parameters are the dashboard's: {@code id}/{@code by} and {@code matchers}/{@code duration}/
 * {@code comment}/{@code by}).
 */
final class AlertsSection implements StatusContributor {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})(m|h|d)");

    private final AlertEngine engine;

    AlertsSection(AlertEngine engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "alerts";
    }

    @Override
    public Map<String, Object> status() {
        return engine.statusContributor().status();
    }

    @Override
    public Set<String> actions() {
        return Set.of("acknowledge", "silence");
    }

    @Override
    public Map<String, Object> act(String action, Map<String, String> params) {
        String by = params.getOrDefault("by", "api");
        if (action.equals("acknowledge")) {
            if (!engine.acknowledge(required(params, "id"), by)) {
                throw new IllegalArgumentException("id: no active alert has this id");
            }
            return Map.of("acknowledged", params.get("id"));
        }
        Map<String, String> matchers = new LinkedHashMap<>();
        for (String m : required(params, "matchers").split(",")) {
            int eq = m.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("matchers: use key=value[,key=value...]");
            }
            matchers.put(m.substring(0, eq).trim(), m.substring(eq + 1).trim());
        }
        Matcher d = DURATION.matcher(required(params, "duration"));
        if (!d.matches()) {
            throw new IllegalArgumentException("duration: use e.g. 15m, 4h or 1d");
        }
        long n = Long.parseLong(d.group(1));
        Duration length = switch (d.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        String id = engine.silence(Silence.of(matchers, Instant.now().plus(length), by,
                params.getOrDefault("comment", "")));
        return Map.of("silence", id);
    }

    private static String required(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + ": required");
        }
        return v;
    }
}
