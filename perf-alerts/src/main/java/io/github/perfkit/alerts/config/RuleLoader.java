package io.github.perfkit.alerts.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.perfkit.alerts.AbstractRule;
import io.github.perfkit.alerts.AbsenceRule;
import io.github.perfkit.alerts.Aggregation;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.Comparison;
import io.github.perfkit.alerts.CompositeRule;
import io.github.perfkit.alerts.Escalation;
import io.github.perfkit.alerts.RateOfChangeRule;
import io.github.perfkit.alerts.ThresholdRule;
import io.github.perfkit.alerts.detect.CpuSpikeDetector;
import io.github.perfkit.alerts.detect.ErrorRateRule;
import io.github.perfkit.alerts.detect.FindingsRule;
import io.github.perfkit.alerts.detect.MemoryLeakDetector;
import io.github.perfkit.alerts.detect.ThreadLeakDetector;
import io.github.perfkit.alerts.internal.DefaultRules;
import io.github.perfkit.core.Perf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads rules from YAML or JSON (JSON is valid YAML, so one parser reads both) and ships the default
 * rule set. A bad rule fails fast with an {@link IllegalArgumentException} naming the rule and the
 * field; unknown fields are errors too (a typo must not silently disable a rule).
 *
 * <pre>
 * rules:
 *   - name: cpu-warning
 *     type: threshold          # threshold | rate-of-change | absence | composite | memory-leak
 *                              # | cpu-spike | thread-leak | error-rate
 *     metric: perfkit.system.cpu.usage
 *     tags: { host: web-1 }
 *     comparison: "&gt;"          # &gt; &gt;= &lt; &lt;=
 *     threshold: 0.7
 *     resolveThreshold: 0.65    # hysteresis
 *     aggregation: avg          # last avg min max rate pNN
 *     window: 2m                # 500ms 30s 2m 1h 1d or ISO-8601 (PT2M)
 *     for: 2m
 *     level: warning            # info warning high critical
 *     escalation: { after: 3, level: critical }
 *     suggestedActions: [ "look at top" ]
 *     enabled: true             # false drops a rule of the same name when merging
 * </pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class RuleLoader {

    /** Classpath location of the default rule set. */
    public static final String DEFAULT_RULES_RESOURCE = "/io/github/perfkit/alerts/default-rules.yaml";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Set<String> COMMON = Set.of("name", "type", "level", "for", "escalation",
            "suggestedActions", "enabled");

    private RuleLoader() {
    }

    /** The YAML mapper, created on first parse (not by {@link #defaults()}). */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());

        private Yaml() {}
    }

    /**
     * The shipped default rule set: CPU 70 % (WARNING) / 90 % (CRITICAL), system memory and heap after GC
     * 80 % / 95 %, disk 90 % used, HTTP error rate 5 %, HTTP latency p95 500 ms, plus memory-leak,
     * thread-leak and CPU-spike detectors. See {@link #DEFAULT_RULES_RESOURCE}.
     *
     * @return the rules, in file order
     */
    public static List<AlertRule> defaults() {
        // Built in code (DefaultRules): the same rules as the resource, without a YAML parser on the start-up path.
        return DefaultRules.create();
    }

    /**
     * The shipped default rule set ({@link #defaults()}) plus a {@link FindingsRule} (name
     * {@code diagnosis-findings}, level HIGH, every category) over the hub's diagnosis, so what the
     * continuous diagnosis and the JDBC wrapper diagnose (hotspots, contention, leaks, deadlocks, N+1
     * statements…) becomes alerts too. This is the set the Spring wiring and most applications want.
     *
     * @param perf the hub whose {@link Perf#diagnosis()} the findings rule reads
     * @return the rules, in file order, then the findings rule
     */
    public static List<AlertRule> defaults(Perf perf) {
        Objects.requireNonNull(perf, "perf");
        List<AlertRule> rules = new ArrayList<>(defaults());
        rules.add(FindingsRule.builder(perf.diagnosis()).build());
        return List.copyOf(rules);
    }

    /**
     * Reads rules from a YAML or JSON file.
     *
     * @param file the file
     * @return the rules (disabled ones left out)
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the rule and field if a rule is invalid
     */
    public static List<AlertRule> load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /**
     * Reads rules from YAML or JSON text.
     *
     * @param text the text
     * @return the rules (disabled ones left out)
     * @throws IllegalArgumentException naming the rule and field if a rule is invalid, or if the text is not YAML
     */
    public static List<AlertRule> parse(String text) {
        try {
            return build(Yaml.MAPPER.readTree(text), new ArrayList<>());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("rules are not valid YAML/JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads rules from a stream of YAML or JSON.
     *
     * @param in the stream (not closed)
     * @return the rules (disabled ones left out)
     * @throws IOException if the stream cannot be read
     * @throws IllegalArgumentException naming the rule and field if a rule is invalid
     */
    public static List<AlertRule> read(InputStream in) throws IOException {
        try {
            return build(Yaml.MAPPER.readTree(in), new ArrayList<>());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("rules are not valid YAML/JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Overrides a base rule set: a rule of {@code overrides} replaces the base rule of the same name; an
     * override with {@code enabled: false} removes it; new names are appended.
     *
     * @param base the base rules, e.g. {@link #defaults()}
     * @param overridesText YAML/JSON overrides
     * @return the merged rules
     * @throws IllegalArgumentException naming the rule and field if an override is invalid
     */
    public static List<AlertRule> override(List<AlertRule> base, String overridesText) {
        List<String> disabled = new ArrayList<>();
        List<AlertRule> overrides;
        try {
            overrides = build(Yaml.MAPPER.readTree(overridesText), disabled);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("rules are not valid YAML/JSON: " + e.getOriginalMessage(), e);
        }
        Map<String, AlertRule> merged = new LinkedHashMap<>();
        base.forEach(r -> merged.put(r.name(), r));
        disabled.forEach(merged::remove);
        overrides.forEach(r -> merged.put(r.name(), r));
        return List.copyOf(merged.values());
    }

    private static List<AlertRule> build(JsonNode root, List<String> disabled) {
        JsonNode rules = root == null ? null : root.get("rules");
        if (rules == null || !rules.isArray()) {
            throw new IllegalArgumentException("rules file must have a top-level 'rules' list");
        }
        List<AlertRule> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode node : rules) {
            index++;
            String name = text(node, "name", "rule #" + index);
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("rule #" + index + ": name must be set");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("rule '" + name + "': name is used by two rules");
            }
            JsonNode enabled = node.get("enabled");
            if (enabled != null && !enabled.isBoolean()) {
                throw bad(name, "enabled", "must be true or false");
            }
            if (enabled != null && !enabled.booleanValue()) {
                disabled.add(name);
                continue;
            }
            out.add(rule(node, name));
        }
        return out;
    }

    private static AlertRule rule(JsonNode node, String name) {
        String type = text(node, "type", name);
        if (type == null) {
            throw bad(name, "type", "must be set (threshold, rate-of-change, absence, composite, memory-leak, "
                    + "cpu-spike, thread-leak, error-rate)");
        }
        try {
            return switch (type.toLowerCase(Locale.ROOT)) {
                case "threshold" -> threshold(node, name);
                case "rate-of-change" -> rateOfChange(node, name);
                case "absence" -> absence(node, name);
                case "composite" -> composite(node, name);
                case "memory-leak" -> memoryLeak(node, name);
                case "cpu-spike" -> cpuSpike(node, name);
                case "thread-leak" -> threadLeak(node, name);
                case "error-rate" -> errorRate(node, name);
                default -> throw bad(name, "type", "unknown type '" + type + "'");
            };
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            if (msg.startsWith("rule '")) {
                throw e;
            }
            throw new IllegalArgumentException("rule '" + name + "': " + msg, e);
        }
    }

    private static void allow(JsonNode node, String name, String... fields) {
        Set<String> allowed = new HashSet<>(COMMON);
        allowed.addAll(List.of(fields));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw bad(name, f, "is not a field of this rule type (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    private static <B extends AbstractRule.Builder<B, ?>> B common(B b, JsonNode node, String name) {
        String level = text(node, "level", name);
        if (level != null) {
            b.level(level(level, name, "level"));
        }
        Duration forDuration = duration(node, "for", name);
        if (forDuration != null) {
            b.forDuration(forDuration);
        }
        JsonNode esc = node.get("escalation");
        if (esc != null) {
            JsonNode after = esc.get("after");
            if (after == null || !after.canConvertToInt()) {
                throw bad(name, "escalation.after", "must be an integer");
            }
            String lvl = text(esc, "level", name);
            if (lvl == null) {
                throw bad(name, "escalation.level", "must be set");
            }
            try {
                b.escalation(Escalation.after(after.intValue(), level(lvl, name, "escalation.level")));
            } catch (IllegalArgumentException e) {
                throw bad(name, "escalation.after", e.getMessage());
            }
        }
        JsonNode actions = node.get("suggestedActions");
        if (actions != null) {
            if (!actions.isArray()) {
                throw bad(name, "suggestedActions", "must be a list of strings");
            }
            List<String> list = new ArrayList<>();
            actions.forEach(a -> list.add(a.asText()));
            b.suggestedActions(list);
        }
        return b;
    }

    private static AlertRule threshold(JsonNode n, String name) {
        allow(n, name, "metric", "tags", "comparison", "threshold", "resolveThreshold", "aggregation", "window",
                "ratioTo");
        ThresholdRule.Builder b = common(ThresholdRule.builder(name), n, name);
        b.metric(required(n, "metric", name)).tags(tags(n, name));
        String cmp = text(n, "comparison", name);
        if (cmp != null) {
            b.comparison(parse(() -> Comparison.parse(cmp), name, "comparison"));
        }
        b.threshold(number(n, "threshold", name, true));
        ifNumber(n, "resolveThreshold", name, b::resolveThreshold);
        String agg = text(n, "aggregation", name);
        if (agg != null) {
            b.aggregation(parse(() -> Aggregation.parse(agg), name, "aggregation"));
        }
        Duration w = duration(n, "window", name);
        if (w != null) {
            b.window(w);
        }
        b.ratioTo(text(n, "ratioTo", name));
        return b.build();
    }

    private static AlertRule rateOfChange(JsonNode n, String name) {
        allow(n, name, "metric", "tags", "comparison", "thresholdPercent", "window");
        RateOfChangeRule.Builder b = common(RateOfChangeRule.builder(name), n, name);
        b.metric(required(n, "metric", name)).tags(tagArray(tags(n, name)));
        String cmp = text(n, "comparison", name);
        if (cmp != null) {
            b.comparison(parse(() -> Comparison.parse(cmp), name, "comparison"));
        }
        b.thresholdPercent(number(n, "thresholdPercent", name, true));
        Duration w = duration(n, "window", name);
        if (w != null) {
            b.window(w);
        }
        return b.build();
    }

    private static AlertRule absence(JsonNode n, String name) {
        allow(n, name, "metric", "tags", "window");
        AbsenceRule.Builder b = common(AbsenceRule.builder(name), n, name);
        b.metric(required(n, "metric", name)).tags(tagArray(tags(n, name)));
        Duration w = duration(n, "window", name);
        if (w != null) {
            b.window(w);
        }
        return b.build();
    }

    private static AlertRule composite(JsonNode n, String name) {
        allow(n, name, "mode", "rules");
        CompositeRule.Builder b = common(CompositeRule.builder(name), n, name);
        String mode = text(n, "mode", name);
        if (mode != null) {
            b.mode(parse(() -> CompositeRule.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), name, "mode"));
        }
        JsonNode children = n.get("rules");
        if (children == null || !children.isArray() || children.isEmpty()) {
            throw bad(name, "rules", "must be a non-empty list of rules");
        }
        int i = 0;
        for (JsonNode c : children) {
            i++;
            String childName = text(c, "name", name);
            b.add(rule(c, childName == null ? name + "#" + i : childName));
        }
        return b.build();
    }

    private static AlertRule memoryLeak(JsonNode n, String name) {
        allow(n, name, "metric", "window", "minR2", "minSlopeBytesPerSecond", "minSamples", "maxBytes");
        MemoryLeakDetector.Builder b = common(MemoryLeakDetector.builder(name), n, name);
        String metric = text(n, "metric", name);
        if (metric != null) {
            b.metric(metric);
        }
        Duration w = duration(n, "window", name);
        if (w != null) {
            b.window(w);
        }
        ifNumber(n, "minR2", name, b::minR2);
        ifNumber(n, "minSlopeBytesPerSecond", name, b::minSlopeBytesPerSecond);
        ifNumber(n, "minSamples", name, v -> b.minSamples((int) v));
        ifNumber(n, "maxBytes", name, b::maxBytes);
        return b.build();
    }

    private static AlertRule cpuSpike(JsonNode n, String name) {
        allow(n, name, "metric", "window", "zThreshold", "minValue", "recentSamples", "minBaseline");
        CpuSpikeDetector.Builder b = common(CpuSpikeDetector.builder(name), n, name);
        String metric = text(n, "metric", name);
        if (metric != null) {
            b.metric(metric);
        }
        Duration w = duration(n, "window", name);
        if (w != null) {
            b.window(w);
        }
        ifNumber(n, "zThreshold", name, b::zThreshold);
        ifNumber(n, "minValue", name, b::minValue);
        ifNumber(n, "recentSamples", name, v -> b.recentSamples((int) v));
        ifNumber(n, "minBaseline", name, v -> b.minBaseline((int) v));
        return b.build();
    }

    private static AlertRule threadLeak(JsonNode n, String name) {
        allow(n, name, "metric", "window", "minR2", "minThreadsPerMinute", "minGrowth");
        ThreadLeakDetector.Builder b = common(ThreadLeakDetector.builder(name), n, name);
        String metric = text(n, "metric", name);
        if (metric != null) {
            b.metric(metric);
        }
        Duration w = duration(n, "window", name);
        if (w != null) {
            b.window(w);
        }
        ifNumber(n, "minR2", name, b::minR2);
        ifNumber(n, "minThreadsPerMinute", name, b::minThreadsPerMinute);
        ifNumber(n, "minGrowth", name, b::minGrowth);
        return b.build();
    }

    private static AlertRule errorRate(JsonNode n, String name) {
        allow(n, name, "errorsMetric", "errorsTags", "totalMetric", "totalTags", "maxRatio", "minRequestsPerSecond",
                "window");
        ErrorRateRule.Builder b = common(ErrorRateRule.builder(name), n, name);
        b.errors(required(n, "errorsMetric", name), tagArray(tagsField(n, "errorsTags", name)));
        b.total(required(n, "totalMetric", name), tagArray(tagsField(n, "totalTags", name)));
        ifNumber(n, "maxRatio", name, b::maxRatio);
        ifNumber(n, "minRequestsPerSecond", name, b::minRequestsPerSecond);
        Duration w = duration(n, "window", name);
        if (w != null) {
            b.window(w);
        }
        return b.build();
    }

    private static io.micrometer.core.instrument.Tags tags(JsonNode n, String name) {
        return io.micrometer.core.instrument.Tags.of(tagArray(tagsField(n, "tags", name)));
    }

    private static Map<String, String> tagsField(JsonNode n, String field, String name) {
        JsonNode t = n.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (t == null) {
            return out;
        }
        if (!t.isObject()) {
            throw bad(name, field, "must be a map of tag key to value");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw bad(name, field + "." + e.getKey(), "must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static String[] tagArray(Map<String, String> tags) {
        String[] kv = new String[tags.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : tags.entrySet()) {
            kv[i++] = e.getKey();
            kv[i++] = e.getValue();
        }
        return kv;
    }

    private static String[] tagArray(io.micrometer.core.instrument.Tags tags) {
        Map<String, String> m = new LinkedHashMap<>();
        tags.forEach(t -> m.put(t.getKey(), t.getValue()));
        return tagArray(m);
    }

    private static <T> T parse(java.util.function.Supplier<T> p, String name, String field) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw bad(name, field, e.getMessage());
        }
    }

    private static AlertLevel level(String text, String name, String field) {
        return parse(() -> AlertLevel.valueOf(text.trim().toUpperCase(Locale.ROOT)), name, field);
    }

    private static @org.jspecify.annotations.Nullable String text(JsonNode n, String field, String name) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw bad(name, field, "must be a string");
        }
        return v.asText();
    }

    private static String required(JsonNode n, String field, String name) {
        String v = text(n, field, name);
        if (v == null || v.isBlank()) {
            throw bad(name, field, "must be set");
        }
        return v;
    }

    /** Sets a number field when the rule gives it; a malformed value fails naming the rule and the field. */
    private static void ifNumber(JsonNode n, String field, String name, java.util.function.DoubleConsumer set) {
        if (n.has(field)) {
            set.accept(number(n, field, name, true));
        }
    }

    private static double number(JsonNode n, String field, String name, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw bad(name, field, "must be set");
            }
            return Double.NaN;
        }
        if (!v.isNumber()) {
            throw bad(name, field, "must be a number, was '" + v.asText() + "'");
        }
        return v.doubleValue();
    }

    private static @org.jspecify.annotations.Nullable Duration duration(JsonNode n, String field, String name) {
        String text = text(n, field, name);
        if (text == null) {
            return null;
        }
        return parseDuration(text, name, field);
    }

    /**
     * Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601 ({@code PT2M}).
     *
     * @param text the text
     * @param rule the rule name, for the error message
     * @param field the field name, for the error message
     * @return the duration
     * @throws IllegalArgumentException naming the rule and field if the text is not a duration
     */
    public static Duration parseDuration(String text, String rule, String field) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long v = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(v);
                case "s" -> Duration.ofSeconds(v);
                case "m" -> Duration.ofMinutes(v);
                case "h" -> Duration.ofHours(v);
                default -> Duration.ofDays(v);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw bad(rule, field, "must be a duration like 30s, 2m, 1h or PT2M, was '" + text + "'");
        }
    }

    private static IllegalArgumentException bad(String name, String field, String problem) {
        return new IllegalArgumentException("rule '" + name + "': " + field + " " + problem);
    }
}
