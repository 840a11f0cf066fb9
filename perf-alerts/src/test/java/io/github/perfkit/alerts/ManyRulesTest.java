package io.github.perfkit.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 10 000 threshold rules over 100 series in one tick: checks the result and logs the time per tick
 * (informational only, not asserted; the JMH benchmark is the measurement).
 */
class ManyRulesTest {

    private static final Logger LOG = LoggerFactory.getLogger(ManyRulesTest.class);

    @Test
    void tenThousandThresholdRulesPerTick() {
        Sim sim = new Sim();
        List<AlertRule> rules = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rules.add(ThresholdRule.builder("r" + i).metric("m" + (i % 100)).threshold(i % 2 == 0 ? 0.5 : 1.5)
                    .window(Duration.ofSeconds(5)).build());
        }
        try (AlertEngine engine = AlertEngine.builder().history(sim.history).clock(sim.clock).rules(rules)
                .historySize(100).build()) {
            long best = Long.MAX_VALUE;
            for (int tick = 0; tick < 5; tick++) {
                sim.advance();
                for (int m = 0; m < 100; m++) {
                    sim.record("m" + m, 1.0);
                }
                long t0 = System.nanoTime();
                engine.evaluate();
                best = Math.min(best, System.nanoTime() - t0);
            }
            assertThat(engine.activeAlerts()).hasSize(5_000);
            LOG.info("10 000 threshold rules: best evaluation {} ms over 5 ticks", best / 1_000_000.0);
        }
    }
}
