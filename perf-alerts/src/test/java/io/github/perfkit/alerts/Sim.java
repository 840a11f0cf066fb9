package io.github.perfkit.alerts;

import io.github.perfkit.core.history.HistoryConfig;
import io.github.perfkit.core.history.MetricsHistory;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;

/** Simulated time + history for engine tests: one tick = 1 s of MockClock time. */
public final class Sim {

    public final MockClock clock = new MockClock();
    public final MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());

    public Sim() {
        clock.add(Duration.ofMillis(1_700_000_000_000L));
    }

    public long now() {
        return clock.wallTime();
    }

    public void advance() {
        clock.add(Duration.ofSeconds(1));
    }

    public void record(String metric, double value, String... tags) {
        history.record(metric, Tags.of(tags), clock.wallTime(), value);
    }

    public void advance(Duration d) {
        clock.add(d);
    }

    /** A rule context over this history, with no active alerts. */
    public RuleContext context() {
        return new RuleContext() {
            @Override
            public long nowMillis() {
                return now();
            }

            @Override
            public MetricsHistory history() {
                return history;
            }

            @Override
            public java.util.List<io.github.perfkit.core.history.TimeSeries> window(String metric,
                    Iterable<io.micrometer.core.instrument.Tag> tags, Duration window) {
                java.time.Instant to = java.time.Instant.ofEpochMilli(now());
                return history.query(io.github.perfkit.core.history.HistoryQuery.builder(metric).tags(tags)
                        .from(to.minus(window).plusMillis(1)).to(to).step(Duration.ofSeconds(1)).build());
            }

            @Override
            public boolean isActive(String ruleName, String subject) {
                return false;
            }
        };
    }
}
