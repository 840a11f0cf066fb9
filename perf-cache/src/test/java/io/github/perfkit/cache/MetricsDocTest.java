package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the perf-cache section of docs/METRICS.md in step with the meter names the cache publishes. */
class MetricsDocTest {

    @Test
    void everyCacheMeterIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "METRICS.md"));
        String section = doc.substring(doc.indexOf("## perf-cache"));
        int meters = 0;
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().startsWith("TAG_")) {
                assertThat(section).as("docs/METRICS.md documents %s", f.getName()).contains("`" + f.get(null) + "`");
                meters++;
            }
        }
        assertThat(meters).isEqualTo(11);
    }
}
