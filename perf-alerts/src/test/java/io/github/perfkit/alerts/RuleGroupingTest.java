package io.github.perfkit.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.history.HistoryConfig;
import io.github.perfkit.core.history.HistoryQuery;
import io.github.perfkit.core.history.MetricsHistory;
import io.github.perfkit.core.history.TimeSeries;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Threshold rules asking the same question share one history query and one aggregation per tick: counts
 * the history calls of an engine with 10 000 rules, and checks the grouped evaluation finds exactly what
 * evaluating each rule on its own finds.
 */
class RuleGroupingTest {

    /** A history that counts the calls the engine makes. */
    static final class CountingHistory implements MetricsHistory {
        final MetricsHistory delegate;
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger latest = new AtomicInteger();

        CountingHistory(MetricsHistory delegate) {
            this.delegate = delegate;
        }

        @Override
        public HistoryConfig config() {
            return delegate.config();
        }

        @Override
        public void record(String name, Iterable<Tag> tags, long epochMillis, double value) {
            delegate.record(name, tags, epochMillis, value);
        }

        @Override
        public void sample(MeterRegistry registry, long epochMillis) {
            delegate.sample(registry, epochMillis);
        }

        @Override
        public List<TimeSeries> query(HistoryQuery query) {
            queries.incrementAndGet();
            return delegate.query(query);
        }

        @Override
        public Optional<TimeSeries.Point> latest(String name, Iterable<Tag> tags) {
            latest.incrementAndGet();
            return delegate.latest(name, tags);
        }

        @Override
        public Set<String> names() {
            return delegate.names();
        }

        @Override
        public int seriesCount() {
            return delegate.seriesCount();
        }

        @Override
        public long droppedSeries() {
            return delegate.droppedSeries();
        }

        @Override
        public long estimatedBytesPerSeries() {
            return delegate.estimatedBytesPerSeries();
        }
    }

    private static final Aggregation[] AGGREGATIONS = {
        Aggregation.last(), Aggregation.avg(), Aggregation.max(), Aggregation.percentile(95)};

    /** 100 metrics x 4 aggregations x 25 thresholds between 0 and 1, plus hysteresis on every other rule. */
    private static List<AlertRule> tenThousandRules() {
        List<AlertRule> rules = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            double threshold = (i / 400) / 25.0;
            ThresholdRule.Builder b = ThresholdRule.builder("r" + i).metric("m" + (i % 100))
                    .aggregation(AGGREGATIONS[(i / 100) % 4]).threshold(threshold).window(Duration.ofSeconds(10));
            if (i % 2 == 1) {
                b.resolveThreshold(Math.max(0, threshold - 0.1));
            }
            rules.add(b.build());
        }
        return rules;
    }

    @Test
    void tenThousandRulesOverOneHundredSeriesMakeOneQueryPerSeriesPerTick() {
        Sim sim = new Sim();
        CountingHistory history = new CountingHistory(sim.history);
        List<AlertRule> rules = tenThousandRules();
        try (AlertEngine engine = AlertEngine.builder().history(history).clock(sim.clock).rules(rules)
                .historySize(10).build()) {
            for (int tick = 0; tick < 12; tick++) {
                sim.advance();
                for (int m = 0; m < 100; m++) {
                    // a different value per metric, moving each tick, so rules fire and resolve
                    sim.record("m" + m, ((m * 7 + tick * 13) % 100) / 100.0);
                }
                history.queries.set(0);
                engine.evaluate();
                assertThat(history.queries.get()).as("history queries in tick %d", tick).isEqualTo(100);
                assertThat(history.latest.get()).isZero();
            }
            assertThat(engine.stats().ruleErrors()).isZero();
            assertThat(active(engine)).isNotEmpty().isNotEqualTo(rules.size());
        }
    }

    @Test
    void groupedEvaluationFindsWhatEachRuleFindsOnItsOwn() {
        Sim sim = new Sim();
        List<AlertRule> rules = tenThousandRules();
        try (AlertEngine engine = AlertEngine.builder().history(sim.history).clock(sim.clock).rules(rules)
                .historySize(10).build()) {
            for (int tick = 0; tick < 6; tick++) {
                sim.advance();
                for (int m = 0; m < 100; m++) {
                    sim.record("m" + m, ((m * 7 + tick * 13) % 100) / 100.0);
                }
                engine.evaluate();
            }
            // the same rules evaluated one by one, each with its own query, against the engine's view of
            // what is active (for hysteresis)
            Set<String> activeNow = active(engine);
            RuleContext ctx = sim.context();
            RuleContext withEngineState = new RuleContext() {
                @Override
                public long nowMillis() {
                    return ctx.nowMillis();
                }

                @Override
                public MetricsHistory history() {
                    return ctx.history();
                }

                @Override
                public List<TimeSeries> window(String metric, Iterable<Tag> tags, Duration window) {
                    return ctx.window(metric, tags, window);
                }

                @Override
                public boolean isActive(String ruleName, String subject) {
                    return activeNow.contains(ruleName + "|" + subject);
                }
            };
            sim.advance();
            for (int m = 0; m < 100; m++) {
                sim.record("m" + m, ((m * 7 + 6 * 13) % 100) / 100.0);
            }
            Set<String> expected = new TreeSet<>();
            for (AlertRule r : rules) {
                for (Finding f : r.evaluate(withEngineState)) {
                    if (f.active()) {
                        expected.add(r.name() + "|" + f.subject());
                    }
                }
            }
            engine.evaluate();
            assertThat(active(engine)).isEqualTo(expected);
        }
    }

    @Test
    void ratioRulesReadEachDenominatorOncePerSeriesPerTick() {
        Sim sim = new Sim();
        CountingHistory history = new CountingHistory(sim.history);
        List<AlertRule> rules = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rules.add(ThresholdRule.builder("disk" + i).metric("used").ratioTo("total").threshold(i / 50.0).build());
        }
        try (AlertEngine engine = AlertEngine.builder().history(history).clock(sim.clock).rules(rules).build()) {
            sim.advance();
            for (int d = 0; d < 4; d++) {
                sim.record("used", 10 * (d + 1), "disk", "d" + d);
                sim.record("total", 100, "disk", "d" + d);
            }
            engine.evaluate();
            assertThat(history.queries.get()).isEqualTo(1);
            assertThat(history.latest.get()).isEqualTo(4);
            // d3 is at 0.4: rules with thresholds below 0.4 fire on it (disk0 .. disk19)
            assertThat(engine.activeAlerts()).filteredOn(a -> a.subject().equals("used{disk=d3}")).hasSize(20);
        }
    }

    private static Set<String> active(AlertEngine engine) {
        Set<String> out = new TreeSet<>();
        for (AlertEvent e : engine.activeAlerts()) {
            out.add(e.rule() + "|" + e.subject());
        }
        return out;
    }
}
