package io.github.perfkit.core.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.history.TimeSeries.Point;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingTest {

    static List<Point> read(Ring ring, long from, long to, long step) {
        List<Point> out = new ArrayList<>();
        ring.aggregate(from, to, step, out);
        return out;
    }

    @Test
    void singleValueRingForgetsBucketsOlderThanItsCapacity() {
        Ring ring = new Ring(1_000, 10, true);
        for (long s = 0; s < 25; s++) {
            ring.add(s * 1_000, s);
        }
        List<Point> all = read(ring, 0, 100_000, 1_000);
        assertThat(all).extracting(Point::avg).containsExactly(15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0);
        assertThat(ring.latest()).isEqualTo(new Point(24_000, 24, 24, 24));
    }

    @Test
    void gapsAreClearedSoStaleSlotsNeverReappear() {
        Ring ring = new Ring(1_000, 10, false);
        for (long s = 0; s < 10; s++) {
            ring.add(s * 1_000, 100 + s);
        }
        // a gap of 4 buckets, then a jump far beyond the capacity
        ring.add(14_000, 1);
        assertThat(read(ring, 0, 100_000, 1_000)).extracting(Point::epochMillis)
                .containsExactly(5_000L, 6_000L, 7_000L, 8_000L, 9_000L, 14_000L);
        ring.add(1_000_003_000L, 2);
        assertThat(read(ring, 0, Long.MAX_VALUE / 4, 1_000)).containsExactly(new Point(1_000_003_000L, 2, 2, 2));
        // out of order: ignored
        ring.add(1_000_002_000L, 99);
        assertThat(read(ring, 0, Long.MAX_VALUE / 4, 1_000)).hasSize(1);
    }

    @Test
    void bucketsAccumulateMinMaxAvgAndStepsWeightByCount() {
        Ring ring = new Ring(10_000, 100, false);
        ring.add(0, 1);
        ring.add(1_000, 5);
        ring.add(2_000, 3); // bucket 0: min 1, max 5, avg 3, count 3
        ring.add(10_000, 7); // bucket 1: 7, count 1
        assertThat(read(ring, 0, 20_000, 10_000)).containsExactly(new Point(0, 1, 5, 3), new Point(10_000, 7, 7, 7));
        // one 20 s step: count-weighted (1 + 5 + 3 + 7) / 4 = 4, not the mean of averages 5
        assertThat(read(ring, 0, 20_000, 20_000)).containsExactly(new Point(0, 1, 7, 4));
        // a single-value ring keeps the mean of a bucket's samples
        Ring single = new Ring(1_000, 10, true);
        single.add(0, 2);
        single.add(500, 4);
        assertThat(single.latest()).isEqualTo(new Point(0, 3, 3, 3));
    }
}
