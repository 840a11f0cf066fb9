package io.github.perfkit.benchmarks;

import io.github.perfkit.alerts.Aggregation;
import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.ThresholdRule;
import io.github.perfkit.core.history.HistoryConfig;
import io.github.perfkit.core.history.MetricsHistory;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One alert evaluation tick: 10 000 threshold rules over 100 series (100 metrics, one series each; four
 * aggregations — last, avg, max, p95 — over a 60 s window at the history's 1 s step; 25 thresholds per
 * metric and aggregation). Each invocation first records one new sample per series at the next second
 * (outside the measurement), then measures {@link AlertEngine#evaluate()}.
 *
 * <p>{@code firing=none}: no rule fires (the steady no-change path); {@code firing=half}: 5 000 alerts are
 * firing and stay firing (their values move, so their findings go stale every tick). Target: under 20 ms
 * per tick on a 2-core machine, allocation per tick from {@code -prof gc} ({@code gc.alloc.rate.norm}).
 *
 * <p>Run (nothing else running on the machine):
 * <pre>
 * ./mvnw -q -pl perf-benchmarks -am package -DskipTests
 * java -jar perf-benchmarks/target/benchmarks.jar AlertEngineBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class AlertEngineBenchmark {

    private static final int RULES = 10_000;
    private static final int SERIES = 100;
    private static final Aggregation[] AGGREGATIONS = {
        Aggregation.last(), Aggregation.avg(), Aggregation.max(), Aggregation.percentile(95)};

    @Param({"none", "half"})
    public String firing;

    private MockClock clock;
    private MetricsHistory history;
    private AlertEngine engine;
    private int tick;

    @Setup(Level.Trial)
    public void setUp() {
        clock = new MockClock();
        clock.add(Duration.ofMillis(1_700_000_000_000L));
        history = MetricsHistory.create(HistoryConfig.ofDefaults());
        // values stay in [0.40, 0.50): with "none" every threshold is above 0.5; with "half" the even
        // rules have thresholds below 0.4 (they fire on the first tick and keep firing)
        boolean half = "half".equals(firing);
        List<AlertRule> rules = new ArrayList<>(RULES);
        for (int i = 0; i < RULES; i++) {
            int step = i / (SERIES * AGGREGATIONS.length);
            double threshold = half && i % 2 == 0 ? 0.39 - step * 0.01 : 0.6 + step * 0.01;
            rules.add(ThresholdRule.builder("rule-" + i).metric("bench.metric." + (i % SERIES))
                    .aggregation(AGGREGATIONS[(i / SERIES) % AGGREGATIONS.length]).threshold(threshold)
                    .window(Duration.ofSeconds(60)).build());
        }
        engine = AlertEngine.builder().history(history).clock(clock).rules(rules).historySize(100).build();
        for (int s = 0; s < 60; s++) {
            record();
        }
        // warm the engine's state (alerts opened, groups sized)
        engine.evaluate();
    }

    private void record() {
        clock.add(Duration.ofSeconds(1));
        tick++;
        long now = clock.wallTime();
        for (int m = 0; m < SERIES; m++) {
            history.record("bench.metric." + m, Tags.empty(), now, 0.4 + ((m + tick) % 10) / 100.0);
        }
    }

    @Setup(Level.Invocation)
    public void nextSecond() {
        record();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    /**
     * One evaluation of every rule.
     *
     * @return the tick number (the work itself has side effects on the engine)
     */
    @Benchmark
    public int evaluate() {
        engine.evaluate();
        return tick;
    }
}
