package io.github.perfkit.core.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.history.TimeSeries.Point;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsHistoryConcurrencyTest {

    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final long MAX_SECONDS = 1L << 21;
    static final Duration[] STEPS = {
        Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1)
    };

    @Test
    void readersAlwaysSeeConsistentBucketsWhileTheWriterRecords() throws Exception {
        MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());
        int seriesCount = 16;
        List<Tags> tags = new ArrayList<>();
        for (int i = 0; i < seriesCount; i++) {
            tags.add(Tags.of("id", Integer.toString(i)));
        }
        AtomicLong now = new AtomicLong(T0);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        AtomicLong pointsChecked = new AtomicLong();

        Thread writer = new Thread(() -> {
            try {
                long t = T0;
                // the value is the second since T0: exact as float below 2^21, and every consistent
                // point (consecutive seconds) has avg == (min + max) / 2, which torn buckets break
                while (!stop.get() && t < T0 + MAX_SECONDS * 1_000) {
                    for (int i = 0; i < seriesCount; i++) {
                        history.record("load", tags.get(i), t, (t - T0) / 1_000);
                    }
                    now.set(t);
                    t += 1_000;
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "history-writer");
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            readers.add(new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    while (!stop.get()) {
                        long to = now.get();
                        long from = to - random.nextLong(Duration.ofDays(8).toMillis());
                        Duration step = STEPS[random.nextInt(STEPS.length)];
                        HistoryQuery.Builder q = HistoryQuery.builder("load")
                                .from(Instant.ofEpochMilli(from)).to(Instant.ofEpochMilli(to)).step(step);
                        if (random.nextBoolean()) {
                            q.tags("id", Integer.toString(random.nextInt(seriesCount)));
                        }
                        for (TimeSeries ts : history.query(q.build())) {
                            for (Point p : ts.points()) {
                                check(p);
                                // the step is at most rounded up to the coarsest resolution, 5 min
                                long stepSeconds = Math.max(step.toSeconds(), 300);
                                double startSecond = (p.epochMillis() - T0) / 1_000.0;
                                if (p.min() < startSecond || p.max() >= startSecond + stepSeconds) {
                                    throw new AssertionError("point outside its step: " + p + " step " + step);
                                }
                                pointsChecked.incrementAndGet();
                            }
                        }
                        history.latest("load", tags.get(random.nextInt(seriesCount))).ifPresent(MetricsHistoryConcurrencyTest::check);
                        reads.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "history-reader-" + r));
        }
        writer.start();
        readers.forEach(Thread::start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline && failures.isEmpty()) {
            Thread.sleep(10);
        }
        stop.set(true);
        writer.join(10_000);
        for (Thread reader : readers) {
            reader.join(10_000);
        }

        assertThat(failures).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(pointsChecked.get()).isPositive();
        assertThat(now.get()).isGreaterThan(T0);
        assertThat(history.seriesCount()).isEqualTo(seriesCount);
    }

    private static void check(Point p) {
        if (!(p.min() <= p.avg() && p.avg() <= p.max())) {
            throw new AssertionError("inconsistent point " + p);
        }
        if (Math.abs(p.avg() - (p.min() + p.max()) / 2) > 0.3) {
            throw new AssertionError("torn point: avg is not the mean of consecutive seconds " + p);
        }
    }
}
