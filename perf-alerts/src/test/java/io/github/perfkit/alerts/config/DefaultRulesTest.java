package io.github.perfkit.alerts.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.internal.DefaultRules;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The default rules are built in code ({@link DefaultRules}) so that start-up loads no YAML parser; the documented
 * resource must describe exactly the same rules: every field of every rule, compared by reflection.
 */
class DefaultRulesTest {

    @Test
    void codeAndDocumentedResourceAreTheSameRules() throws Exception {
        List<AlertRule> fromYaml;
        try (InputStream in = RuleLoader.class.getResourceAsStream(RuleLoader.DEFAULT_RULES_RESOURCE)) {
            assertThat(in).as(RuleLoader.DEFAULT_RULES_RESOURCE).isNotNull();
            fromYaml = RuleLoader.read(in);
        }
        List<AlertRule> inCode = DefaultRules.create();
        assertThat(inCode).extracting(AlertRule::name).containsExactlyElementsOf(
                fromYaml.stream().map(AlertRule::name).toList());
        for (int i = 0; i < inCode.size(); i++) {
            assertThat(dump(inCode.get(i), 0)).as(inCode.get(i).name()).isEqualTo(dump(fromYaml.get(i), 0));
        }
        assertThat(RuleLoader.defaults()).extracting(AlertRule::name).hasSize(14);
    }

    @Test
    void dumpSeesADifference() {
        // The comparison is not vacuous: two rules differing in one threshold dump differently.
        AlertRule a = io.github.perfkit.alerts.ThresholdRule.builder("x").metric("m").threshold(1).build();
        AlertRule b = io.github.perfkit.alerts.ThresholdRule.builder("x").metric("m").threshold(2).build();
        assertThat(dump(a, 0)).isNotEqualTo(dump(b, 0));
    }

    private static Object dump(Object value, int depth) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || value instanceof Duration || value instanceof Character) {
            return value;
        }
        if (depth > 8) {
            return "…";
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            c.forEach(e -> out.add(dump(e, depth + 1)));
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), dump(v, depth + 1)));
            return out;
        }
        if (value.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(dump(Array.get(value, i), depth + 1));
            }
            return out;
        }
        String type = value.getClass().getName();
        if (type.startsWith("java.") || type.contains("$$Lambda")) {
            return type.replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda");
        }
        Map<String, Object> fields = new TreeMap<>();
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    fields.put(c.getSimpleName() + "." + f.getName(), dump(f.get(value), depth + 1));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    fields.put(c.getSimpleName() + "." + f.getName(), "unreadable " + e);
                }
            }
        }
        return type + fields;
    }
}
