package io.github.perfkit.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps docs/METRICS.md in step with the meter names the code publishes. */
class MetricsDocTest {

    @Test
    void everyMeterNameIsDocumented() throws IOException, IllegalAccessException {
        String doc = Files.readString(Path.of("..", "docs", "METRICS.md"));
        int checked = 0;
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                assertThat(doc).as("docs/METRICS.md documents %s", f.getName()).contains("`" + f.get(null) + "`");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
    }
}
