package io.github.perfkit.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class MetricsHistoryMemoryTest {

    static {
        // JOL 0.17 on JDK 17 cannot take field offsets of records and hidden classes through Unsafe;
        // this switch (read when JOL initializes) makes it compute them another way.
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private static final Logger LOG = LoggerFactory.getLogger(MetricsHistoryMemoryTest.class);

    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final long MIB = 1024 * 1024;

    @Test
    void fiveHundredFilledDefaultSeriesFitIn32MiB() {
        MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());
        long empty = GraphLayout.parseInstance(history).totalSize();
        List<Tags> tags = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            tags.add(Tags.of("instance", "node-" + (i % 10), "id", Integer.toString(i)));
        }
        // 7 days every 5 minutes, then the last 15 minutes every second: every tier's ring is full
        long t = T0;
        for (; t < T0 + Duration.ofDays(7).toMillis(); t += 300_000) {
            for (int i = 0; i < 500; i++) {
                history.record("app.metric." + (i % 50), tags.get(i), t, i + t % 7);
            }
        }
        for (long end = t + 900_000; t <= end; t += 1_000) {
            for (int i = 0; i < 500; i++) {
                history.record("app.metric." + (i % 50), tags.get(i), t, i + t % 7);
            }
        }
        assertThat(history.seriesCount()).isEqualTo(500);

        long total = GraphLayout.parseInstance(history).totalSize();
        long perSeries = (total - empty) / 500;
        LOG.warn("MEMORY: default MetricsHistory with 500 filled series retains {} bytes ({} MiB); "
                        + "{} bytes per series measured (with name/tags), {} estimated (without)",
                total, String.format(java.util.Locale.ROOT, "%.2f", total / (double) MIB), perSeries,
                history.estimatedBytesPerSeries());
        assertThat(total).isLessThanOrEqualTo(32 * MIB);
        // the estimate covers everything but the per-series name and tag objects
        assertThat((double) history.estimatedBytesPerSeries()).isCloseTo(perSeries, within(perSeries * 0.02));
    }

    @Test
    void fillingFarBeyondCapacityDoesNotGrowTheHeap() {
        int maxSeries = 20;
        MetricsHistory history = MetricsHistory.create(HistoryConfig.builder().maxSeries(maxSeries).build());
        List<Tags> tags = new ArrayList<>();
        for (int i = 0; i < 5 * maxSeries; i++) {
            tags.add(Tags.of("id", Integer.toString(i)));
        }
        for (int i = 0; i < tags.size(); i++) {
            history.record("metric", tags.get(i), T0, i);
        }
        assertThat(history.seriesCount()).isEqualTo(maxSeries);
        long before = GraphLayout.parseInstance(history).totalSize();

        long end = T0 + Duration.ofDays(21).toMillis(); // 3 x the longest retention, one sample per minute
        for (long t = T0 + 60_000; t <= end; t += 60_000) {
            for (int i = 0; i < tags.size(); i++) {
                history.record("metric", tags.get(i), t, i + t % 11);
            }
        }
        long after = GraphLayout.parseInstance(history).totalSize();

        assertThat(history.seriesCount()).isEqualTo(maxSeries);
        assertThat(history.droppedSeries()).isGreaterThan(0);
        assertThat(after).isEqualTo(before);
        // and the oldest data is the last 7 days only
        List<TimeSeries> all = history.query(HistoryQuery.of("metric", Instant.ofEpochMilli(T0),
                Instant.ofEpochMilli(end), Duration.ofMinutes(5)));
        assertThat(all).hasSize(maxSeries);
        assertThat(all.get(0).points().get(0).epochMillis()).isGreaterThanOrEqualTo(end - Duration.ofDays(7).toMillis());
    }

    @Test
    void samplingFiveHundredGaugesIsCheapPerTick() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        double[] values = new double[500];
        for (int i = 0; i < values.length; i++) {
            int index = i;
            Gauge.builder("app.gauge", values, v -> v[index]).tag("id", Integer.toString(i)).register(registry);
        }
        MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());
        long t = T0;
        for (int tick = 0; tick < 3_000; tick++, t += 1_000) { // warm-up
            values[tick % 500] = tick;
            history.sample(registry, t);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long threadId = Thread.currentThread().getId();
        int ticks = 2_000;
        long allocatedBefore = threads.getThreadAllocatedBytes(threadId);
        long start = System.nanoTime();
        for (int tick = 0; tick < ticks; tick++, t += 1_000) {
            values[tick % 500] = tick;
            history.sample(registry, t);
        }
        long nanos = System.nanoTime() - start;
        long allocated = threads.getThreadAllocatedBytes(threadId) - allocatedBefore;
        double microsPerTick = nanos / 1_000.0 / ticks;
        LOG.warn("SAMPLE: sample() over 500 gauges takes {} us per tick, allocates {} bytes per tick",
                String.format(java.util.Locale.ROOT, "%.1f", microsPerTick), allocated / ticks);

        assertThat(history.seriesCount()).isEqualTo(500);
        assertThat(history.latest("app.gauge", Tags.of("id", "7"))).isPresent();
        // generous bounds for a loaded 2-core machine; the figures above are what matters
        assertThat(microsPerTick).isLessThan(20_000);
        assertThat(allocated / ticks).isLessThan(1_024);
    }
}
