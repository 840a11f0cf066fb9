package io.github.perfkit.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;

import io.github.perfkit.core.history.TimeSeries.Point;
import io.github.perfkit.core.internal.history.DefaultMetricsHistory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MetricsHistorySampleTest {

    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    final MockClock clock = new MockClock();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    final MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());

    @Test
    void countersGaugesTimersAndSummariesBecomeSeries() {
        Counter counter = registry.counter("shop.orders", "region", "eu");
        AtomicLong cumulative = new AtomicLong();
        FunctionCounter.builder("shop.bytes", cumulative, AtomicLong::doubleValue).register(registry);
        AtomicInteger queue = registry.gauge("shop.queue", new AtomicInteger());
        Timer timer = registry.timer("shop.checkout");
        DistributionSummary summary = registry.summary("shop.payload");
        AtomicLong batches = new AtomicLong();
        FunctionTimer.builder("shop.batch", batches, AtomicLong::get, b -> b.get() * 50.0, TimeUnit.MILLISECONDS)
                .register(registry);
        LongTaskTimer export = LongTaskTimer.builder("shop.export").register(registry);
        export.start();

        history.sample(registry, T0);
        assertThat(points("shop.orders")).as("first sample gives no rate").isEmpty();
        for (int s = 1; s <= 5; s++) {
            counter.increment(10);
            cumulative.addAndGet(1_000);
            batches.addAndGet(2);
            queue.set(s);
            for (int i = 0; i < 4; i++) {
                timer.record(250, TimeUnit.MILLISECONDS);
                summary.record(100 * s);
            }
            clock.add(Duration.ofSeconds(1));
            history.sample(registry, T0 + s * 1_000L);
        }

        assertThat(points("shop.orders")).hasSize(5).allSatisfy(p -> assertThat(p.avg()).isEqualTo(10.0));
        assertThat(history.query(HistoryQuery.builder("shop.orders").tags("region", "eu")
                .from(Instant.ofEpochMilli(T0)).to(Instant.ofEpochMilli(T0 + 5_000)).step(Duration.ofSeconds(1))
                .build()).get(0).tags()).isEqualTo(Tags.of("region", "eu"));
        assertThat(points("shop.bytes")).extracting(Point::avg).containsOnly(1_000.0);
        assertThat(points("shop.queue")).extracting(Point::avg).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0);
        assertThat(points("shop.checkout.count")).hasSize(5).extracting(Point::avg).containsOnly(4.0);
        assertThat(points("shop.checkout.mean")).hasSize(5)
                .allSatisfy(p -> assertThat(p.avg()).isCloseTo(0.25, within(1e-6)));
        assertThat(points("shop.checkout.max")).last()
                .satisfies(p -> assertThat(p.avg()).isCloseTo(0.25, within(1e-6)));
        assertThat(points("shop.payload.mean")).extracting(Point::avg).containsExactly(100.0, 200.0, 300.0, 400.0, 500.0);
        assertThat(points("shop.payload.count")).extracting(Point::avg).containsOnly(4.0);

        assertThat(points("shop.batch.count")).extracting(Point::avg).containsOnly(2.0);
        assertThat(points("shop.batch.mean")).allSatisfy(p -> assertThat(p.avg()).isCloseTo(0.05, within(1e-6)));
        assertThat(history.names()).doesNotContain("shop.batch.max");
        assertThat(history.latest("shop.export.active", Tags.empty())).map(Point::avg).contains(1.0);
        assertThat(history.latest("shop.export.mean", Tags.empty())).hasValueSatisfying(
                p -> assertThat(p.avg()).isCloseTo(5.0, within(1e-3)));
        assertThat(history.latest("shop.export.max", Tags.empty())).hasValueSatisfying(
                p -> assertThat(p.avg()).isCloseTo(5.0, within(1e-3)));

        // a 5 s step averages the per-second rates
        List<TimeSeries> coarse = history.query(HistoryQuery.of("shop.orders",
                Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 4_999), Duration.ofSeconds(5)));
        assertThat(coarse.get(0).points()).singleElement().satisfies(p -> {
            assertThat(p.avg()).isEqualTo(10.0);
            assertThat(p.min()).isEqualTo(10.0);
        });
    }

    @Test
    void removedMetersArePrunedWithoutErrorsAndExcludedMetersAreNotSampled() {
        MetricsHistory jvmOnly = MetricsHistory.create(HistoryConfig.builder().includePrefixes("jvm.").build());
        Meter.Id brokenId = new Meter.Id("jvm.broken", Tags.empty(), null, null, Meter.Type.GAUGE);
        Gauge broken = new Gauge() {
            @Override
            public double value() {
                throw new IllegalStateException("boom");
            }

            @Override
            public Meter.Id getId() {
                return brokenId;
            }
        };
        MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock) {
            @Override
            public void forEachMeter(Consumer<? super Meter> consumer) {
                super.forEachMeter(consumer);
                consumer.accept(broken);
            }
        };
        Counter counter = registry.counter("jvm.gc.count");
        Gauge.builder("jvm.threads", () -> 12).register(registry);
        registry.counter("http.requests").increment();
        Gauge.builder("jvm.nan", () -> Double.NaN).register(registry);

        jvmOnly.sample(registry, T0);
        counter.increment(3);
        jvmOnly.sample(registry, T0 + 1_000);
        assertThat(jvmOnly.names()).containsExactlyInAnyOrder("jvm.gc.count", "jvm.threads", "jvm.broken", "jvm.nan");
        assertThat(jvmOnly.latest("jvm.nan", Tags.empty())).as("NaN is not recorded").isEmpty();
        assertThat(((DefaultMetricsHistory) jvmOnly).trackedMeters()).isEqualTo(5);
        assertThat(((DefaultMetricsHistory) jvmOnly).samplingErrors()).isEqualTo(2);

        registry.remove(counter);
        assertThatCode(() -> jvmOnly.sample(registry, T0 + 2_000)).doesNotThrowAnyException();
        assertThat(((DefaultMetricsHistory) jvmOnly).trackedMeters()).isEqualTo(4);
        assertThat(jvmOnly.latest("jvm.gc.count", Tags.empty())).map(Point::avg).contains(3.0);
        assertThat(jvmOnly.latest("jvm.threads", Tags.empty())).map(Point::avg).contains(12.0);

        // registered again: its count restarted, so it is a new baseline, not a negative rate
        Counter again = registry.counter("jvm.gc.count");
        again.increment(1);
        jvmOnly.sample(registry, T0 + 3_000);
        again.increment(2);
        jvmOnly.sample(registry, T0 + 4_000);
        assertThat(jvmOnly.latest("jvm.gc.count", Tags.empty())).map(Point::avg).contains(2.0);
    }

    @Test
    void seriesBeyondTheCapAreDroppedAndCounted() {
        MetricsHistory small = MetricsHistory.create(HistoryConfig.builder().maxSeries(3).build());
        for (int i = 0; i < 5; i++) {
            registry.gauge("g" + i, i);
        }
        small.sample(registry, T0);
        small.sample(registry, T0 + 1_000);
        assertThat(small.seriesCount()).isEqualTo(3);
        assertThat(small.droppedSeries()).as("each refused meter counted once").isEqualTo(2);
    }

    private List<Point> points(String name) {
        List<TimeSeries> result = history.query(HistoryQuery.of(name,
                Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 60_000), Duration.ofSeconds(1)));
        assertThat(result).as("series %s", name).hasSize(1);
        return result.get(0).points();
    }
}
