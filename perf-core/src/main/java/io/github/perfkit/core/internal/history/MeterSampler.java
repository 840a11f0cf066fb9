package io.github.perfkit.core.internal.history;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a registry's meters into samples of the history at each tick. Per meter it keeps the
 * previous cumulative values and direct references to its series, so the steady state does one
 * map lookup per meter and allocates nothing per meter (no boxing, no name or tag building).
 * States of meters no longer in the registry are pruned after each tick; the state map is bounded.
 *
 * <p>Thread-safe: ticks are serialized by a lock.
 */
final class MeterSampler {

    private static final Logger LOG = LoggerFactory.getLogger(MeterSampler.class);

    private static final int GAUGE = 0;
    private static final int COUNTER = 1;
    private static final int TIMER = 2;
    private static final int FUNCTION_TIMER = 3;
    private static final int SUMMARY = 4;
    private static final int LONG_TASK_TIMER = 5;
    private static final int SKIPPED = 6;

    private final DefaultMetricsHistory history;
    private final int maxStates;
    private final Map<Meter.Id, MeterState> states = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** A named class rather than a method reference, so heap walkers (JOL) can measure the history. */
    private final Consumer<Meter> visitor = new Visitor();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicBoolean errorLogged = new AtomicBoolean();
    private final AtomicBoolean capLogged = new AtomicBoolean();

    private long tick;
    private long epochMillis;
    private int seen;

    MeterSampler(DefaultMetricsHistory history) {
        this.history = history;
        this.maxStates = (int) Math.min(1 << 20, Math.max(1024L, 4L * history.config().maxSeries()));
    }

    void sample(MeterRegistry registry, long epochMillis) {
        lock.lock();
        try {
            this.tick++;
            this.epochMillis = epochMillis;
            this.seen = 0;
            registry.forEachMeter(visitor);
            if (states.size() > seen) {
                long current = tick;
                states.values().removeIf(s -> s.seenTick != current);
            }
        } finally {
            lock.unlock();
        }
    }

    int trackedMeters() {
        lock.lock();
        try {
            return states.size();
        } finally {
            lock.unlock();
        }
    }

    long errors() {
        return errors.get();
    }

    private void visit(Meter meter) {
        try {
            Meter.Id id = meter.getId();
            MeterState st = states.get(id);
            if (st == null || st.meter != meter) {
                if (st == null && states.size() >= maxStates) {
                    if (capLogged.compareAndSet(false, true)) {
                        LOG.warn("Metrics history tracks at most {} meters; meters such as '{}' are not sampled",
                                maxStates, id.getName());
                    }
                    return;
                }
                // a new meter, or one removed and registered again (its cumulative counts restarted)
                st = newState(meter, id);
                states.put(id, st);
            }
            st.seenTick = tick;
            seen++;
            sample(st, meter);
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            if (errorLogged.compareAndSet(false, true)) {
                LOG.warn("Metrics history could not sample meter '{}' (further failures are counted, not logged)",
                        meter.getId().getName(), e);
            }
        }
    }

    private MeterState newState(Meter meter, Meter.Id id) {
        String name = id.getName();
        int kind = kindOf(meter);
        if (kind != SKIPPED && !history.config().includes(name)) {
            kind = SKIPPED;
        }
        MeterState st = new MeterState(meter, kind);
        if (kind == SKIPPED) {
            return st;
        }
        Tags tags = Tags.of(id.getTagsAsIterable());
        switch (kind) {
            case GAUGE, COUNTER -> st.primary = history.seriesFor(name, tags);
            case LONG_TASK_TIMER -> {
                st.primary = history.seriesFor(name + ".active", tags);
                st.mean = history.seriesFor(name + ".mean", tags);
                st.max = history.seriesFor(name + ".max", tags);
            }
            default -> {
                st.primary = history.seriesFor(name + ".count", tags);
                st.mean = history.seriesFor(name + ".mean", tags);
                if (kind != FUNCTION_TIMER) {
                    st.max = history.seriesFor(name + ".max", tags);
                }
            }
        }
        return st;
    }

    private static int kindOf(Meter meter) {
        // TimeGauge is a Gauge
        if (meter instanceof Gauge) {
            return GAUGE;
        } else if (meter instanceof Counter || meter instanceof FunctionCounter) {
            return COUNTER;
        } else if (meter instanceof Timer) {
            return TIMER;
        } else if (meter instanceof FunctionTimer) {
            return FUNCTION_TIMER;
        } else if (meter instanceof DistributionSummary) {
            return SUMMARY;
        } else if (meter instanceof LongTaskTimer) {
            return LONG_TASK_TIMER;
        }
        return SKIPPED;
    }

    private void sample(MeterState st, Meter meter) {
        long now = epochMillis;
        switch (st.kind) {
            case GAUGE -> write(st.primary, ((Gauge) meter).value());
            case COUNTER -> {
                double count = meter instanceof Counter c ? c.count() : ((FunctionCounter) meter).count();
                rates(st, now, count, 0, Double.NaN);
            }
            case TIMER -> {
                Timer t = (Timer) meter;
                rates(st, now, t.count(), t.totalTime(TimeUnit.SECONDS), t.max(TimeUnit.SECONDS));
            }
            case FUNCTION_TIMER -> {
                FunctionTimer t = (FunctionTimer) meter;
                rates(st, now, t.count(), t.totalTime(TimeUnit.SECONDS), Double.NaN);
            }
            case SUMMARY -> {
                DistributionSummary d = (DistributionSummary) meter;
                rates(st, now, d.count(), d.totalAmount(), d.max());
            }
            case LONG_TASK_TIMER -> {
                LongTaskTimer t = (LongTaskTimer) meter;
                int active = t.activeTasks();
                write(st.primary, active);
                if (active > 0) {
                    write(st.mean, t.duration(TimeUnit.SECONDS) / active);
                }
                write(st.max, t.max(TimeUnit.SECONDS));
            }
            default -> {
                // not sampled
            }
        }
    }

    /** Rate of a cumulative count, mean of the total over the count delta, and the max as is. */
    private void rates(MeterState st, long now, double count, double total, double max) {
        write(st.max, max);
        if (st.primed && now > st.prevMillis && count >= st.prevCount) {
            double deltaCount = count - st.prevCount;
            write(st.primary, deltaCount * 1000.0 / (now - st.prevMillis));
            if (deltaCount > 0) {
                write(st.mean, (total - st.prevTotal) / deltaCount);
            }
        }
        if (!st.primed || now > st.prevMillis) {
            st.primed = true;
            st.prevMillis = now;
            st.prevCount = count;
            st.prevTotal = total;
        }
    }

    private void write(@Nullable Series s, double value) {
        if (s != null) {
            history.write(s, epochMillis, value);
        }
    }

    private final class Visitor implements Consumer<Meter> {
        @Override
        public void accept(Meter meter) {
            visit(meter);
        }
    }

    /** Sampling state of one meter; only touched under the sampler lock. */
    private static final class MeterState {
        final Meter meter;
        final int kind;
        @Nullable Series primary;
        @Nullable Series mean;
        @Nullable Series max;
        long seenTick;
        boolean primed;
        long prevMillis;
        double prevCount;
        double prevTotal;

        MeterState(Meter meter, int kind) {
            this.meter = meter;
            this.kind = kind;
        }
    }
}
