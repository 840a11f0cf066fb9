package io.github.perfkit.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 10 000 threshold rules over 100 series (four aggregations over 60 s), half of them firing: checks the
 * result and logs the time per tick (informational only, not asserted; AlertEngineBenchmark in
 * perf-benchmarks is the measurement).
 */
class ManyRulesTest {

    private static final Logger LOG = LoggerFactory.getLogger(ManyRulesTest.class);
    private static final Aggregation[] AGGREGATIONS = {
        Aggregation.last(), Aggregation.avg(), Aggregation.max(), Aggregation.percentile(95)};

    @Test
    void tenThousandThresholdRulesPerTick() {
        Sim sim = new Sim();
        List<AlertRule> rules = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rules.add(ThresholdRule.builder("r" + i).metric("m" + (i % 100)).threshold(i % 2 == 0 ? 0.3 : 0.6)
                    .aggregation(AGGREGATIONS[(i / 100) % 4]).window(Duration.ofSeconds(60)).build());
        }
        for (int s = 0; s < 60; s++) {
            sim.advance();
            for (int m = 0; m < 100; m++) {
                sim.record("m" + m, 0.4 + ((m + s) % 10) / 100.0);
            }
        }
        try (AlertEngine engine = AlertEngine.builder().history(sim.history).clock(sim.clock).rules(rules)
                .historySize(100).build()) {
            int ticks = 40;
            long[] nanos = new long[ticks];
            for (int tick = 0; tick < ticks; tick++) {
                sim.advance();
                for (int m = 0; m < 100; m++) {
                    sim.record("m" + m, 0.4 + ((m + tick) % 10) / 100.0);
                }
                long t0 = System.nanoTime();
                engine.evaluate();
                nanos[tick] = System.nanoTime() - t0;
            }
            assertThat(engine.activeAlerts()).hasSize(5_000);
            long first = nanos[0];
            Arrays.sort(nanos);
            LOG.info("10 000 threshold rules, 5 000 firing: first tick {} ms, then best {} ms, median {} ms over {} ticks",
                    first / 1e6, nanos[0] / 1e6, nanos[ticks / 2] / 1e6, ticks);
        }
    }
}
