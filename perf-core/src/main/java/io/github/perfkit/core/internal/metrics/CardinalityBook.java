package io.github.perfkit.core.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping behind {@code CardinalityGuard}: admitted tag sets per meter name, overflow counts and
 * idle tracking. Bounded: at most {@code maxNames} names, {@code maxSeries} admitted tag sets per name and
 * {@code maxSeries} remembered overflowed tag sets per name. Thread-safe: per-name state is guarded by
 * its own lock; {@link #expire} is meant to run on one thread.
 */
public final class CardinalityBook {

    private static final Logger LOG = LoggerFactory.getLogger(CardinalityBook.class);

    /** Tag value of the overflow series. */
    public static final String OTHER = "OTHER";

    private final int maxSeries;
    private final int maxNames;
    private final long idleNanos;
    private final String overflowMeterName;
    private final List<String> exempt;
    private final ConcurrentHashMap<String, NameState> names = new ConcurrentHashMap<>();
    private final AtomicBoolean namesCapLogged = new AtomicBoolean();
    private long pass;

    /**
     * @param maxSeries admitted tag sets per name
     * @param maxNames names tracked at most
     * @param idleNanos idle time after which a series is removed
     * @param overflowMeterName name of the overflow counter (never limited)
     * @param exempt name prefixes that are not limited
     */
    public CardinalityBook(int maxSeries, int maxNames, long idleNanos, String overflowMeterName,
            List<String> exempt) {
        this.maxSeries = maxSeries;
        this.maxNames = maxNames;
        this.idleNanos = idleNanos;
        this.overflowMeterName = overflowMeterName;
        this.exempt = List.copyOf(exempt);
    }

    private static final class Series {
        double lastValue = Double.NaN;
        long lastChange;
        long seenInPass;

        Series(long now) {
            this.lastChange = now;
        }
    }

    private static final class NameState {
        final Map<List<Tag>, Series> series = new HashMap<>();
        final Set<List<Tag>> overflowed = new HashSet<>();
        final AtomicLong overflow = new AtomicLong();
        boolean logged;
        boolean removed;
        boolean counterRegistered;
    }

    private boolean isExempt(String name) {
        if (name.equals(overflowMeterName)) {
            return true;
        }
        for (String p : exempt) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOverflowId(List<Tag> tags) {
        for (Tag t : tags) {
            if (!OTHER.equals(t.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Admits the id, or maps it to its overflow series.
     *
     * @param id the id being registered
     * @param now the clock's monotonic time
     * @return the id itself or the overflow id
     */
    public Meter.Id map(Meter.Id id, long now) {
        String name = id.getName();
        List<Tag> tags = id.getTags();
        if (tags.isEmpty() || isExempt(name) || isOverflowId(tags)) {
            return id;
        }
        while (true) {
            NameState st = names.get(name);
            if (st == null) {
                if (names.size() >= maxNames) {
                    if (namesCapLogged.compareAndSet(false, true)) {
                        LOG.warn("Perfkit cardinality guard tracks at most {} meter names; meters with further names"
                                + " are not limited (check for meter names built from request data)", maxNames);
                    }
                    return id;
                }
                st = names.computeIfAbsent(name, n -> new NameState());
            }
            synchronized (st) {
                if (st.removed) {
                    continue;
                }
                if (st.series.containsKey(tags)) {
                    return id;
                }
                if (st.series.size() < maxSeries) {
                    st.series.put(tags, new Series(now));
                    return id;
                }
                // A tag set registered again (e.g. after the registry dropped its cache) is counted once.
                // Remembered up to maxSeries tag sets; beyond that, every registration counts.
                boolean first = !st.overflowed.contains(tags)
                        && (st.overflowed.size() >= maxSeries || st.overflowed.add(tags));
                if (first) {
                    st.overflow.incrementAndGet();
                }
                if (!st.logged) {
                    st.logged = true;
                    LOG.warn("Meter '{}' exceeded {} tag combinations; further combinations are recorded in one series"
                            + " with every tag value '{}' (see {})", name, maxSeries, OTHER, overflowMeterName);
                }
            }
            List<Tag> other = new ArrayList<>(tags.size());
            for (Tag t : tags) {
                other.add(Tag.of(t.getKey(), OTHER));
            }
            return id.replaceTags(other);
        }
    }

    /**
     * Removes series idle for the idle expiry, frees their slots, drops empty names and registers the
     * overflow counters of names that overflowed.
     *
     * @param registry the registry the guard filters
     * @param now the clock's monotonic time
     */
    public synchronized void expire(MeterRegistry registry, long now) {
        pass++;
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            NameState st = names.get(id.getName());
            if (st == null) {
                continue;
            }
            double fingerprint = fingerprint(meter);
            boolean remove = false;
            synchronized (st) {
                Series s = st.series.get(id.getTags());
                if (s == null) {
                    continue;
                }
                s.seenInPass = pass;
                if (Double.isNaN(fingerprint) || Double.compare(fingerprint, s.lastValue) != 0) {
                    s.lastValue = fingerprint;
                    s.lastChange = now;
                } else if (now - s.lastChange >= idleNanos) {
                    remove = true;
                }
            }
            if (remove) {
                registry.remove(meter);
                synchronized (st) {
                    st.series.remove(id.getTags());
                }
            }
        }
        for (Iterator<Map.Entry<String, NameState>> it = names.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, NameState> e = it.next();
            NameState st = e.getValue();
            synchronized (st) {
                // Admitted but absent from the registry (denied by a later filter, removed by the owner).
                st.series.values().removeIf(s -> s.seenInPass != pass && now - s.lastChange >= idleNanos);
                if (st.series.isEmpty() && st.overflow.get() == 0) {
                    st.removed = true;
                    it.remove();
                    continue;
                }
                if (st.overflow.get() > 0 && !st.counterRegistered) {
                    st.counterRegistered = true;
                    FunctionCounter.builder(overflowMeterName, st.overflow, AtomicLong::get)
                            .tag("name", e.getKey())
                            .description("Tag combinations folded into the overflow series of a meter name")
                            .register(registry);
                }
            }
        }
    }

    // What "did not change" means per type; gauges and function meters are derived from live objects and
    // are registered once by their owner, so removing them would lose them for good: they never expire (NaN).
    private static double fingerprint(Meter meter) {
        if (meter instanceof Counter) {
            return ((Counter) meter).count();
        }
        if (meter instanceof Timer) {
            return ((Timer) meter).count();
        }
        if (meter instanceof DistributionSummary) {
            return ((DistributionSummary) meter).count();
        }
        if (meter instanceof LongTaskTimer) {
            LongTaskTimer t = (LongTaskTimer) meter;
            return t.activeTasks() > 0 ? Double.NaN : 0.0;
        }
        return Double.NaN;
    }

    /**
     * @param name a meter name
     * @return tag sets of that name folded into its overflow series so far
     */
    public long overflowCount(String name) {
        NameState st = names.get(name);
        return st == null ? 0 : st.overflow.get();
    }

    /** @return names currently tracked */
    public int trackedNames() {
        return names.size();
    }

    /**
     * @param name a meter name
     * @return tag sets of that name currently admitted
     */
    public int admitted(String name) {
        NameState st = names.get(name);
        if (st == null) {
            return 0;
        }
        synchronized (st) {
            return st.series.size();
        }
    }
}
