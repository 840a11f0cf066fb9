package io.github.perfkit.core.internal.history;

import io.github.perfkit.core.history.TimeSeries.Point;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The buckets of one tier of one series: a ring of primitive arrays indexed by
 * {@code floorMod(bucket, capacity)} where {@code bucket = floorDiv(epochMillis, resolution)}.
 *
 * <p>No per-slot timestamp is kept: when the ring advances past a gap, the skipped slots are
 * cleared, so a slot is valid exactly when its bucket lies in {@code (last - capacity, last]} and it
 * is not empty. The open (last) bucket is accumulated in {@code double} fields and published to the
 * arrays on every sample, so readers see it too.
 *
 * <p>Not thread-safe: guarded by the owning {@link Series}' lock.
 */
final class Ring {

    static final long NONE = Long.MIN_VALUE;

    private final long resolution;
    private final int capacity;
    /** Single-value tiers: the value (mean); others: the average. NaN marks an empty single-value slot. */
    private final float[] avg;
    private final float @Nullable [] min;
    private final float @Nullable [] max;
    /** Sample count per bucket, saturating at 65535; 0 marks an empty slot. */
    private final char @Nullable [] count;

    private long last = NONE;
    private double openSum;
    private double openMin;
    private double openMax;
    private int openCount;

    Ring(long resolution, int capacity, boolean singleValue) {
        this.resolution = resolution;
        this.capacity = capacity;
        this.avg = new float[capacity];
        if (singleValue) {
            Arrays.fill(avg, Float.NaN);
            this.min = null;
            this.max = null;
            this.count = null;
        } else {
            this.min = new float[capacity];
            this.max = new float[capacity];
            this.count = new char[capacity];
        }
    }

    long resolution() {
        return resolution;
    }

    long last() {
        return last;
    }

    /** Adds a finite sample; samples of buckets before the last one are ignored. */
    void add(long epochMillis, double v) {
        long bucket = Math.floorDiv(epochMillis, resolution);
        if (bucket < last) {
            return;
        }
        if (bucket != last) {
            clearGap(bucket);
            last = bucket;
            openSum = v;
            openMin = v;
            openMax = v;
            openCount = 1;
        } else {
            openSum += v;
            if (openCount < Integer.MAX_VALUE) {
                openCount++;
            }
            openMin = Math.min(openMin, v);
            openMax = Math.max(openMax, v);
        }
        int slot = slot(bucket);
        double mean = clamp(openSum / openCount, openMin, openMax);
        avg[slot] = (float) mean;
        if (count != null) {
            min[slot] = (float) openMin;
            max[slot] = (float) openMax;
            count[slot] = (char) Math.min(openCount, Character.MAX_VALUE);
        }
    }

    private void clearGap(long bucket) {
        if (last == NONE) {
            return; // fresh arrays are empty
        }
        long skipped = Math.min(bucket - last - 1, capacity);
        for (long k = 1; k <= skipped; k++) {
            int slot = slot(last + k);
            if (count != null) {
                count[slot] = 0;
            } else {
                avg[slot] = Float.NaN;
            }
        }
    }

    private int slot(long bucket) {
        return (int) Math.floorMod(bucket, (long) capacity);
    }

    private boolean isEmpty(int slot) {
        return count != null ? count[slot] == 0 : Float.isNaN(avg[slot]);
    }

    /** The last bucket as a point, or null if there is none. */
    @Nullable
    Point latest() {
        if (last == NONE) {
            return null;
        }
        int slot = slot(last);
        if (isEmpty(slot)) {
            return null;
        }
        double a = avg[slot];
        return count != null
                ? new Point(last * resolution, min[slot], max[slot], a)
                : new Point(last * resolution, a, a, a);
    }

    /**
     * Aggregates the retained buckets overlapping {@code [from, to]} into epoch-aligned steps of
     * {@code step} milliseconds (a multiple of the resolution). May run under an optimistic read:
     * every index is in bounds and the loop is bounded by the capacity whatever the field values.
     */
    void aggregate(long from, long to, long step, List<Point> out) {
        long lastBucket = last;
        if (lastBucket == NONE) {
            return;
        }
        long first = Math.max(Math.floorDiv(from, resolution), lastBucket - capacity + 1);
        long end = Math.min(Math.floorDiv(to, resolution), lastBucket);
        long current = NONE;
        double lo = 0;
        double hi = 0;
        double weightedSum = 0;
        double weight = 0;
        for (long b = first; b <= end; b++) {
            int slot = slot(b);
            double a = avg[slot];
            double bucketMin;
            double bucketMax;
            int c;
            if (count != null) {
                c = count[slot];
                if (c == 0) {
                    continue;
                }
                bucketMin = min[slot];
                bucketMax = max[slot];
            } else {
                if (Double.isNaN(a)) {
                    continue;
                }
                c = 1;
                bucketMin = a;
                bucketMax = a;
            }
            long stepStart = Math.floorDiv(b * resolution, step) * step;
            if (stepStart != current) {
                if (current != NONE) {
                    out.add(point(current, lo, hi, weightedSum, weight));
                }
                current = stepStart;
                lo = bucketMin;
                hi = bucketMax;
                weightedSum = a * c;
                weight = c;
            } else {
                lo = Math.min(lo, bucketMin);
                hi = Math.max(hi, bucketMax);
                weightedSum += a * c;
                weight += c;
            }
        }
        if (current != NONE) {
            out.add(point(current, lo, hi, weightedSum, weight));
        }
    }

    private static Point point(long epochMillis, double lo, double hi, double weightedSum, double weight) {
        return new Point(epochMillis, lo, hi, clamp(weightedSum / weight, lo, hi));
    }

    /** Keeps float and double rounding from putting an average outside its own min and max. */
    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
