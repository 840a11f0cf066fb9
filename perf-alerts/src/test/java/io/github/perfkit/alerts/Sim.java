package io.github.perfkit.alerts;

import io.github.perfkit.core.history.HistoryConfig;
import io.github.perfkit.core.history.MetricsHistory;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;

/** Simulated time + history for engine tests: one tick = 1 s of MockClock time. */
final class Sim {
    final MockClock clock = new MockClock();
    final MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());

    Sim() {
        clock.add(Duration.ofMillis(1_700_000_000_000L));
    }

    long now() {
        return clock.wallTime();
    }

    void advance() {
        clock.add(Duration.ofSeconds(1));
    }

    void record(String metric, double value, String... tags) {
        history.record(metric, Tags.of(tags), clock.wallTime(), value);
    }
}
