package io.github.perfkit.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures the startup time Perfkit adds to the sample app (context start with the defaults vs
 * {@code perfkit.enabled=false}), alternating runs after a warm-up of each, and logs the medians. The
 * assertion is a loose ceiling for a loaded 2-core CI machine; the figure to read is the logged one
 * (target: at most 150 ms).
 */
class StartupCostTest {

    private static final Logger LOG = LoggerFactory.getLogger(StartupCostTest.class);
    /** Measured runs per arm; {@code -Dperfkit.startup.runs=15} for a re-measure. */
    private static final int RUNS = Integer.getInteger("perfkit.startup.runs", 4);

    @Test
    void perfkitAddsLittleToStartup() {
        start(true);
        start(false);
        List<Long> with = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            without.add(start(false));
            with.add(start(true));
        }
        long medianWith = median(with);
        long medianWithout = median(without);
        LOG.info("startup with Perfkit {} ms, without {} ms (median of {}): added {} ms; runs with {}, without {}",
                medianWith, medianWithout, RUNS, medianWith - medianWithout, with, without);
        assertThat(medianWith - medianWithout).isLessThan(1_500);
    }

    private static long start(boolean perfkit) {
        long t0 = System.nanoTime();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApp.class)
                .properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
                        "perfkit.enabled=" + perfkit)
                .logStartupInfo(false)
                .run()) {
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            assertThat(context.isRunning()).isTrue();
            return elapsed;
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
