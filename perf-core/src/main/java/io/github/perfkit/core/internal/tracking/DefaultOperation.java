package io.github.perfkit.core.internal.tracking;

import io.github.perfkit.core.LatencySnapshot;
import io.github.perfkit.core.Operation;
import io.github.perfkit.core.OperationStats;
import io.github.perfkit.core.Scope;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;

/**
 * A tracked operation and its statistics.
 *
 * <p>Samples reach an operation by two routes. The usual one: the recording thread appends them to
 * its own {@link ThreadContext} buffer, and whoever holds the tracker's drain lock moves them into
 * {@link #interval}, a plain histogram owned by that lock. The other one, for scopes closed on a
 * thread without a buffer or when a full buffer cannot be drained right now: an HdrHistogram
 * {@link Recorder}, which any thread may write without blocking and which is folded in on rotation.
 * Readers take the drain lock, so they never block recording threads, only each other and the drain.
 *
 * <p>Thread-safe; fields marked "drain lock" are only touched while holding the tracker's drain lock.
 */
final class DefaultOperation implements Operation {

    static final int SIGNIFICANT_DIGITS = 3;
    /** Samples above this are clamped, so one absurd value cannot grow a histogram without bound. */
    static final long HIGHEST_TRACKABLE_NANOS = Duration.ofHours(1).toNanos();

    private final String name;
    private final Tags tags;
    private final DefaultPerformanceTracker tracker;

    /**
     * Lock-free route for samples that bypass the thread buffers. Deliberately not the packed
     * variant: packed concurrent histograms were seen to livelock in a storage resize under
     * concurrent writers (PerformanceTrackerTest's concurrency test hung there).
     */
    private final Recorder concurrent = new Recorder(SIGNIFICANT_DIGITS);
    private final LongAdder concurrentSum = new LongAdder();
    private Histogram recycled; // drain lock

    // Samples not yet merged into the packed slot and total histograms (drain lock): those of the current slot
    // period, merged when the period ends or when a reader needs them (writing a packed histogram costs about
    // a microsecond per distinct value, so merging on every tick cost hundreds of microseconds per operation).
    // Allocated on demand, released when idle. The counters below cover only the samples since the last
    // rotation; they go into the slot and total counters at every rotation.
    private Histogram interval;
    private long intervalEpoch = Long.MIN_VALUE;
    private boolean intervalUnmerged;
    private long intervalCount;
    private long intervalSum;
    private long intervalMin = Long.MAX_VALUE;
    private long intervalMax;
    private int idleRotations;

    // Sliding window slots (drain lock).
    private final PackedHistogram[] slots;
    private final long[] slotEpoch;
    private final long[] slotCount;
    private final long[] slotSum;
    private final long[] slotMin;
    private final long[] slotMax;

    // Since start (drain lock for writes; count and sum are volatile for the Micrometer function timer).
    private final PackedHistogram total = new PackedHistogram(SIGNIFICANT_DIGITS);
    private volatile long totalCount;
    private volatile long totalSum;
    private long totalMin = Long.MAX_VALUE;
    private long totalMax;
    private final long createdMonotonicNanos;

    DefaultOperation(String name, Tags tags, DefaultPerformanceTracker tracker, long nowMonotonicNanos) {
        this.name = name;
        this.tags = tags;
        this.tracker = tracker;
        int n = tracker.windowSlots();
        this.slots = new PackedHistogram[n];
        this.slotEpoch = new long[n];
        this.slotCount = new long[n];
        this.slotSum = new long[n];
        this.slotMin = new long[n];
        this.slotMax = new long[n];
        for (int i = 0; i < n; i++) {
            slots[i] = new PackedHistogram(SIGNIFICANT_DIGITS);
            slotEpoch[i] = Long.MIN_VALUE;
        }
        this.createdMonotonicNanos = nowMonotonicNanos;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tags tags() {
        return tags;
    }

    @Override
    public Scope start() {
        return tracker.startScope(this, false);
    }

    @Override
    public void recordNanos(long nanos) {
        if (nanos >= 0 && tracker.isEnabled()) {
            tracker.recordSample(this, nanos);
        }
    }

    @Override
    public OperationStats stats() {
        return tracker.statsOf(this);
    }

    /** Records from any thread, without blocking. */
    void recordConcurrent(long nanos) {
        long v = clamp(nanos);
        concurrent.recordValue(v);
        concurrentSum.add(v);
    }

    /** Drain lock held. */
    void aggregate(long nanos) {
        long v = clamp(nanos);
        Histogram h = interval;
        if (h == null) {
            h = interval = newIntervalHistogram();
        }
        h.recordValue(v);
        intervalUnmerged = true;
        intervalCount++;
        intervalSum += v;
        if (v < intervalMin) {
            intervalMin = v;
        }
        if (v > intervalMax) {
            intervalMax = v;
        }
    }

    /**
     * Moves the counters since the last rotation into the current window slot and the since-start totals; the
     * histogram follows when the slot period ends (or a reader asks, see {@link #flush()}). Drain lock held.
     *
     * @param epoch index of the current slot period (monotonic time / slot length)
     */
    void rotate(long epoch) {
        advance(epoch);
        foldConcurrent();
        int slot = (int) Math.floorMod(epoch, (long) slots.length);
        if (slotEpoch[slot] != epoch) {
            slots[slot].reset();
            slotEpoch[slot] = epoch;
            slotCount[slot] = 0;
            slotSum[slot] = 0;
            slotMin[slot] = Long.MAX_VALUE;
            slotMax[slot] = 0;
        }
        if (intervalCount == 0) {
            if (interval != null && !intervalUnmerged && ++idleRotations > 2) {
                interval = null; // an idle operation holds no interval histogram
            }
            return;
        }
        idleRotations = 0;
        foldCounters(epoch);
    }

    /**
     * Starts the slot period {@code epoch}: the samples not yet merged belong to the period before and are merged
     * into it now. The tracker calls this for every operation before it drains the thread buffers, so the samples
     * drained next count in the new period. Drain lock held.
     *
     * @param epoch index of the current slot period
     */
    void advance(long epoch) {
        if (intervalEpoch != epoch) {
            if (intervalEpoch != Long.MIN_VALUE) {
                flush();
            }
            intervalEpoch = epoch;
        }
    }

    /** Adds the counters since the last rotation to the slot of {@code epoch} (when still held) and the totals. */
    private void foldCounters(long epoch) {
        if (intervalCount == 0) {
            return;
        }
        int slot = (int) Math.floorMod(epoch, (long) slots.length);
        if (slotEpoch[slot] == epoch) {
            slotCount[slot] += intervalCount;
            slotSum[slot] += intervalSum;
            slotMin[slot] = Math.min(slotMin[slot], intervalMin);
            slotMax[slot] = Math.max(slotMax[slot], intervalMax);
        }
        totalMin = Math.min(totalMin, intervalMin);
        totalMax = Math.max(totalMax, intervalMax);
        totalSum = totalSum + intervalSum;
        totalCount = totalCount + intervalCount;
        intervalCount = 0;
        intervalSum = 0;
        intervalMin = Long.MAX_VALUE;
        intervalMax = 0;
    }

    /** Merges the unmerged samples into their slot (when still held) and the since-start histogram. Drain lock held. */
    private void flush() {
        if (!intervalUnmerged) {
            return;
        }
        int slot = (int) Math.floorMod(intervalEpoch, (long) slots.length);
        if (slotEpoch[slot] == intervalEpoch) {
            slots[slot].add(interval);
        }
        total.add(interval);
        interval.reset();
        intervalUnmerged = false;
    }

    private void foldConcurrent() {
        Histogram h = concurrent.getIntervalHistogram(recycled);
        recycled = h;
        long n = h.getTotalCount();
        if (n == 0) {
            return;
        }
        if (interval == null) {
            interval = newIntervalHistogram();
        }
        interval.add(h);
        intervalUnmerged = true;
        intervalCount += n;
        intervalSum += concurrentSum.sumThenReset();
        intervalMin = Math.min(intervalMin, h.getMinValue());
        intervalMax = Math.max(intervalMax, h.getMaxValue());
    }

    /**
     * Drain lock held; the interval has just been rotated in. Readers never write the packed histograms (about a
     * microsecond per distinct value, which made a once-a-second reader of all operations cost milliseconds): the
     * window is assembled in the tracker's regular scratch histogram from the live slots plus the samples not yet
     * merged, and the since-start figures read the packed total directly unless unmerged samples must be added.
     *
     * @param scratch a regular histogram owned by the drain lock's holder, reset here
     */
    OperationStats snapshot(long epoch, long nowMonotonicNanos, Duration slotLength, Histogram scratch) {
        scratch.reset();
        long count = 0;
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        long oldest = epoch - slots.length + 1;
        for (int i = 0; i < slots.length; i++) {
            if (slotEpoch[i] >= oldest && slotEpoch[i] <= epoch && slotCount[i] > 0) {
                scratch.add(slots[i]);
                count += slotCount[i];
                sum += slotSum[i];
                min = Math.min(min, slotMin[i]);
                max = Math.max(max, slotMax[i]);
            }
        }
        if (intervalUnmerged && intervalEpoch >= oldest && intervalEpoch <= epoch
                && slotEpoch[(int) Math.floorMod(intervalEpoch, (long) slots.length)] == intervalEpoch) {
            scratch.add(interval);
        }
        // The window covers the full past slots plus the elapsed part of the current one, but never
        // more than the operation's lifetime.
        long slotNanos = slotLength.toNanos();
        long windowNanos = (slots.length - 1) * slotNanos + Math.floorMod(nowMonotonicNanos, slotNanos);
        long lifetime = Math.max(1, nowMonotonicNanos - createdMonotonicNanos);
        Duration windowPeriod = Duration.ofNanos(Math.max(1, Math.min(windowNanos, lifetime)));
        LatencySnapshot window = toSnapshot(scratch, count, sum, min, max, windowPeriod);
        AbstractHistogram sinceStart = total;
        if (intervalUnmerged) {
            scratch.reset();
            scratch.add(total);
            scratch.add(interval);
            sinceStart = scratch;
        }
        LatencySnapshot since = toSnapshot(sinceStart, totalCount, totalSum, totalMin, totalMax,
                Duration.ofNanos(lifetime));
        return new OperationStats(name, tags, window, since);
    }

    private static LatencySnapshot toSnapshot(
            AbstractHistogram h, long count, long sum, long min, long max, Duration period) {
        if (count == 0) {
            return LatencySnapshot.empty(period);
        }
        double seconds = period.toNanos() / 1e9;
        return new LatencySnapshot(
                count,
                count / seconds,
                (double) sum / count,
                min,
                max,
                Math.min(max, h.getValueAtPercentile(50)),
                Math.min(max, h.getValueAtPercentile(90)),
                Math.min(max, h.getValueAtPercentile(95)),
                Math.min(max, h.getValueAtPercentile(99)),
                Math.min(max, h.getValueAtPercentile(99.9)),
                period);
    }

    long totalCount() {
        return totalCount;
    }

    long totalSumNanos() {
        return totalSum;
    }

    /** A regular histogram for readers to assemble snapshots in (see {@link #snapshot}). */
    static Histogram newScratchHistogram() {
        return newIntervalHistogram();
    }

    private static Histogram newIntervalHistogram() {
        Histogram h = new Histogram(SIGNIFICANT_DIGITS);
        h.setAutoResize(true);
        return h;
    }

    private static long clamp(long nanos) {
        return nanos > HIGHEST_TRACKABLE_NANOS ? HIGHEST_TRACKABLE_NANOS : nanos;
    }

    String describe() {
        StringBuilder sb = new StringBuilder(name);
        for (Tag t : tags) {
            sb.append(',').append(t.getKey()).append('=').append(t.getValue());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Operation[" + describe() + "]";
    }
}
