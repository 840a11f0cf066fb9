package io.github.perfkit.core.internal.history;

import io.github.perfkit.core.history.TimeSeries.Point;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.StampedLock;
import org.jspecify.annotations.Nullable;

/**
 * One series: its rings, one per tier, preallocated on creation.
 *
 * <p>Thread-safe: writes take the write lock (uncontended in the one-writer design, so cheap);
 * reads run optimistically and retry under the read lock if a write intervened, so a reader never
 * sees a half-written bucket and never blocks the writer for long.
 */
final class Series {

    final String name;
    final Tags tags;
    private final StampedLock lock = new StampedLock();
    private final Ring[] rings;

    Series(String name, Tags tags, long[] resolutions, int[] capacities, boolean[] singleValue) {
        this.name = name;
        this.tags = tags;
        this.rings = new Ring[resolutions.length];
        for (int i = 0; i < rings.length; i++) {
            rings[i] = new Ring(resolutions[i], capacities[i], singleValue[i]);
        }
    }

    /**
     * Adds a finite sample to every tier.
     *
     * @return false if the sample is older than the last bucket of the finest tier and was ignored
     */
    boolean add(long epochMillis, double value) {
        long stamp = lock.writeLock();
        try {
            Ring finest = rings[0];
            if (Math.floorDiv(epochMillis, finest.resolution()) < finest.last()) {
                return false;
            }
            for (Ring ring : rings) {
                ring.add(epochMillis, value);
            }
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    List<Point> read(int tier, long from, long to, long step) {
        Ring ring = rings[tier];
        List<Point> out = new ArrayList<>();
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            ring.aggregate(from, to, step, out);
            if (lock.validate(stamp)) {
                return out;
            }
            out.clear();
        }
        stamp = lock.readLock();
        try {
            ring.aggregate(from, to, step, out);
            return out;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Nullable
    Point latest() {
        Ring ring = rings[0];
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            Point p = ring.latest();
            if (lock.validate(stamp)) {
                return p;
            }
        }
        stamp = lock.readLock();
        try {
            return ring.latest();
        } finally {
            lock.unlockRead(stamp);
        }
    }
}
