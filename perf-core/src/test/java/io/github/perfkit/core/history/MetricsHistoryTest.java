package io.github.perfkit.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.perfkit.core.history.TimeSeries.Point;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MetricsHistoryTest {

    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final long SECOND = 1_000;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    /** A pattern with distinct min, max and mean in every window, never near zero. */
    static double pattern(long i) {
        return 1 + (i * 7) % 13 + (i % 100) / 10.0;
    }

    @Test
    void downsamplingGivesExactMinMaxAvgAtEveryStep() {
        MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());
        int n = 7200; // 2 h at 1 value per second
        for (int i = 0; i < n; i++) {
            history.record("cpu", Tags.of("host", "a"), T0 + i * SECOND, pattern(i));
        }
        long now = T0 + (n - 1) * SECOND;

        // 1 s steps over the last 10 minutes: the 1 s tier, every sample as is
        List<Point> perSecond = single(history, now - 10 * MINUTE, now, Duration.ofSeconds(1));
        assertPoints(perSecond, expected(now - 10 * MINUTE, now, SECOND, n));
        assertThat(perSecond).hasSize(601);

        // 10 s steps over the last 10 minutes: the 1 s tier aggregated
        assertPoints(single(history, now - 10 * MINUTE + 1, now, Duration.ofSeconds(10)),
                expected(now - 10 * MINUTE + 1, now, 10 * SECOND, n));

        // 10 s steps over the last hour: beyond the 1 s tier, so the 10 s tier
        List<Point> tenSeconds = single(history, T0 + HOUR, now, Duration.ofSeconds(10));
        assertThat(tenSeconds).hasSize(360);
        assertPoints(tenSeconds, expected(T0 + HOUR, now, 10 * SECOND, n));

        // 1 min steps over the 2 h: 10 s buckets aggregated by count-weighted average
        List<Point> minutes = single(history, T0, now, Duration.ofMinutes(1));
        assertThat(minutes).hasSize(120);
        assertPoints(minutes, expected(T0, now, MINUTE, n));

        // a step that is not a multiple of the tier resolution is rounded up (25 s -> 30 s)
        assertPoints(single(history, T0, now, Duration.ofSeconds(25)), expected(T0, now, 30 * SECOND, n));
    }

    @Test
    void finestTierForgetsAfterItsRetentionWhileCoarserTiersStillAnswer() {
        MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());
        int n = 20 * 60; // 20 minutes at 1 s
        for (int i = 0; i < n; i++) {
            history.record("heap", Tags.empty(), T0 + i * SECOND, pattern(i));
        }
        long now = T0 + (n - 1) * SECOND;

        // the last 15 minutes are still at 1 s
        List<Point> recent = single(history, now - 15 * MINUTE, now, Duration.ofSeconds(1));
        assertThat(recent).hasSize(901);
        assertThat(recent.get(0).epochMillis()).isEqualTo(now - 15 * MINUTE);
        assertPoints(recent, expected(now - 15 * MINUTE, now, SECOND, n));

        // asking for the first minutes at 1 s: the 1 s tier no longer holds them, the 10 s tier does
        List<Point> old = single(history, T0, T0 + 5 * MINUTE - 1, Duration.ofSeconds(1));
        assertThat(old).hasSize(30);
        assertThat(old.get(1).epochMillis() - old.get(0).epochMillis()).isEqualTo(10 * SECOND);
        assertPoints(old, expected(T0, T0 + 5 * MINUTE - 1, 10 * SECOND, n));
    }

    @Test
    void sevenDayTierAnswersSixDaysAgoAndNothingBeyondSevenDays() {
        MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());
        long minutes = 8 * 24 * 60; // 8 days, one point per minute
        for (long i = 0; i < minutes; i++) {
            history.record("disk", Tags.empty(), T0 + i * MINUTE, i);
        }
        long now = T0 + (minutes - 1) * MINUTE;

        long sixDaysAgo = now + MINUTE - 6 * DAY; // aligned to 5 min
        List<Point> hour = single(history, sixDaysAgo, sixDaysAgo + HOUR - 1, Duration.ofMinutes(5));
        assertThat(hour).hasSize(12);
        for (Point p : hour) {
            long firstMinute = (p.epochMillis() - T0) / MINUTE;
            assertThat(p.min()).isEqualTo(firstMinute);
            assertThat(p.max()).isEqualTo(firstMinute + 4);
            assertThat(p.avg()).isCloseTo(firstMinute + 2, within(1e-3 * (firstMinute + 2)));
        }

        // 2016 closed 5 min buckets plus the open one: the oldest is the bucket holding now - 7 days
        long oldestKept = Math.floorDiv(now - 7 * DAY, 5 * MINUTE) * 5 * MINUTE;
        List<Point> beyond = single(history, T0, oldestKept - 1, Duration.ofMinutes(5));
        assertThat(beyond).isEmpty();
        List<Point> all = single(history, T0, now, Duration.ofMinutes(5));
        assertThat(all.get(0).epochMillis()).isEqualTo(oldestKept);
        assertThat(all).hasSize(2017);
    }

    @Test
    void tagFilterLatestAndNames() {
        MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());
        history.record("http.requests", Tags.of("uri", "/a", "status", "200"), T0, 1);
        history.record("http.requests", Tags.of("uri", "/b", "status", "200"), T0, 2);
        history.record("http.requests", Tags.of("uri", "/b", "status", "500"), T0, 3);
        history.record("heap", Tags.empty(), T0, 4);
        history.record("heap", Tags.empty(), T0 + SECOND, 5);
        history.record("heap", Tags.empty(), T0, 99); // out of order: ignored
        history.record("heap", Tags.empty(), T0 + 2 * SECOND, Double.NaN); // ignored
        history.record("heap", Tags.empty(), T0 + 2 * SECOND, Double.POSITIVE_INFINITY); // ignored

        Instant from = Instant.ofEpochMilli(T0);
        Instant to = Instant.ofEpochMilli(T0 + MINUTE);
        assertThat(history.query(HistoryQuery.of("http.requests", from, to, Duration.ofSeconds(1)))).hasSize(3);
        List<TimeSeries> b = history.query(HistoryQuery.builder("http.requests").tags("uri", "/b")
                .from(from).to(to).step(Duration.ofSeconds(1)).build());
        assertThat(b).extracting(TimeSeries::tags).containsExactlyInAnyOrder(
                Tags.of("uri", "/b", "status", "200"), Tags.of("uri", "/b", "status", "500"));
        assertThat(history.query(HistoryQuery.builder("http.requests").tags("uri", "/c")
                .from(from).to(to).step(Duration.ofSeconds(1)).build())).isEmpty();
        assertThat(history.query(HistoryQuery.of("unknown", from, to, Duration.ofSeconds(1)))).isEmpty();

        assertThat(history.latest("heap", Tags.empty())).contains(new Point(T0 + SECOND, 5, 5, 5));
        assertThat(history.latest("heap", Tags.of("x", "y"))).isEmpty();
        assertThat(history.query(HistoryQuery.of("heap", from, to, Duration.ofSeconds(1))).get(0).points())
                .extracting(Point::avg).containsExactly(4.0, 5.0);
        assertThat(history.names()).containsExactly("heap", "http.requests");
        assertThat(history.seriesCount()).isEqualTo(4);
        assertThat(history.droppedSeries()).isZero();
    }

    @Test
    void badQueriesAreRejectedNamingTheField() {
        Instant t = Instant.ofEpochMilli(T0);
        assertThatThrownBy(() -> HistoryQuery.of(" ", t, t, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> HistoryQuery.of("cpu", t.plusSeconds(1), t, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from");
        assertThatThrownBy(() -> HistoryQuery.of("cpu", t, t, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
        assertThatThrownBy(() -> HistoryQuery.builder("cpu").from(t).to(t).step(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
        assertThatThrownBy(() -> HistoryQuery.builder("cpu").from(t).to(t).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step must be set");
        assertThatThrownBy(() -> HistoryQuery.builder("cpu").to(t).step(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from must be set");
        MetricsHistory history = MetricsHistory.create(HistoryConfig.ofDefaults());
        assertThatThrownBy(() -> history.record("", Tags.empty(), T0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }

    @Test
    void configIsValidatedAndDefaultsReachSevenDays() {
        HistoryConfig defaults = HistoryConfig.ofDefaults();
        assertThat(defaults.maxSeries()).isEqualTo(500);
        assertThat(defaults.tiers().get(defaults.tiers().size() - 1).retention()).isGreaterThanOrEqualTo(Duration.ofDays(7));
        assertThat(defaults.includes("anything")).isTrue();
        HistoryConfig jvmOnly = HistoryConfig.builder().includePrefixes("jvm.", "process.").build();
        assertThat(jvmOnly.includes("jvm.memory.used")).isTrue();
        assertThat(jvmOnly.includes("http.requests")).isFalse();

        assertThatThrownBy(() -> HistoryConfig.builder().maxSeries(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSeries");
        assertThatThrownBy(() -> new HistoryConfig.Tier(Duration.ZERO, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resolution");
        assertThatThrownBy(() -> new HistoryConfig.Tier(Duration.ofMinutes(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> new HistoryConfig.Tier(Duration.ofMillis(1), Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention / resolution");
        assertThatThrownBy(() -> HistoryConfig.builder().tiers(
                        new HistoryConfig.Tier(Duration.ofSeconds(10), Duration.ofHours(1)),
                        new HistoryConfig.Tier(Duration.ofSeconds(15), Duration.ofHours(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tiers[1].resolution");
        assertThatThrownBy(() -> HistoryConfig.builder().tiers(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tiers");
        assertThatThrownBy(() -> HistoryConfig.builder().includePrefixes(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("includePrefixes");
    }

    // --- helpers ---

    /** The points of the only series of a history. */
    static List<Point> single(MetricsHistory history, long from, long to, Duration step) {
        List<TimeSeries> result = history.query(new HistoryQuery(history.names().iterator().next(),
                Tags.empty(), Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), step));
        return result.isEmpty() ? List.of() : result.get(0).points();
    }

    /** Min, max and mean of the samples {@code pattern(i)} at {@code T0 + i s} in each step of [from, to]. */
    static List<Point> expected(long from, long to, long step, int n) {
        TreeMap<Long, double[]> steps = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            long t = T0 + i * SECOND;
            if (t < Math.floorDiv(from, SECOND) * SECOND || t > to) {
                continue;
            }
            double v = pattern(i);
            double[] acc = steps.computeIfAbsent(Math.floorDiv(t, step) * step,
                    k -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, 0, 0});
            acc[0] = Math.min(acc[0], v);
            acc[1] = Math.max(acc[1], v);
            acc[2] += v;
            acc[3]++;
        }
        List<Point> points = new ArrayList<>();
        steps.forEach((t, acc) -> points.add(new Point(t, acc[0], acc[1], acc[2] / acc[3])));
        return points;
    }

    static void assertPoints(List<Point> actual, List<Point> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            Point a = actual.get(i);
            Point e = expected.get(i);
            assertThat(a.epochMillis()).as("epoch of point %d", i).isEqualTo(e.epochMillis());
            assertThat(a.min()).as("min of point %d", i).isCloseTo(e.min(), within(1e-3 * Math.abs(e.min())));
            assertThat(a.max()).as("max of point %d", i).isCloseTo(e.max(), within(1e-3 * Math.abs(e.max())));
            assertThat(a.avg()).as("avg of point %d", i).isCloseTo(e.avg(), within(1e-3 * Math.abs(e.avg())));
        }
    }
}
