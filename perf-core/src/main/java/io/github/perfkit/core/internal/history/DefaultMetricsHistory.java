package io.github.perfkit.core.internal.history;

import io.github.perfkit.core.history.HistoryConfig;
import io.github.perfkit.core.history.HistoryQuery;
import io.github.perfkit.core.history.MetricsHistory;
import io.github.perfkit.core.history.TimeSeries;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MetricsHistory} behind {@link MetricsHistory#create}. Series live in a concurrent map
 * (created under a lock so the cap is exact) and never go away; each guards its own buckets (see
 * {@link Series}). Sampling a registry is delegated to {@link MeterSampler}.
 *
 * <p>Thread-safe: one writer and many readers (several writers are safe too, but samples of one
 * series racing each other may be dropped as out of order).
 */
public final class DefaultMetricsHistory implements MetricsHistory {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultMetricsHistory.class);

    /**
     * Series (32), its StampedLock (48), ring array (32), key (24), map node (32) and map table and
     * by-name slots (about 16), as JOL measures them on a 64-bit JVM with compressed oops.
     */
    static final long SERIES_OVERHEAD_BYTES = 184;
    /** One ring object with its fields (JOL). */
    static final long RING_OVERHEAD_BYTES = 80;

    private final HistoryConfig config;
    private final long[] resolutions;
    private final int[] capacities;
    private final boolean[] singleValue;
    private final long bytesPerSeries;

    private final ConcurrentHashMap<SeriesKey, Series> series;
    /** Series by name, copy-on-write arrays: series are created rarely and never removed. */
    private final ConcurrentHashMap<String, Series[]> byName;
    private final ReentrantLock creationLock = new ReentrantLock();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean dropLogged = new AtomicBoolean();
    private final AtomicLong latestMillis = new AtomicLong(Ring.NONE);
    private final MeterSampler sampler;
    private volatile int seriesCount;

    /**
     * Creates an empty history.
     *
     * @param config the configuration
     */
    public DefaultMetricsHistory(HistoryConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        List<HistoryConfig.Tier> tiers = config.tiers();
        int n = tiers.size();
        this.resolutions = new long[n];
        this.capacities = new int[n];
        this.singleValue = new boolean[n];
        long bytes = SERIES_OVERHEAD_BYTES;
        for (int i = 0; i < n; i++) {
            HistoryConfig.Tier tier = tiers.get(i);
            resolutions[i] = tier.resolution().toMillis();
            capacities[i] = tier.capacity();
            singleValue[i] = config.isSingleValue(tier);
            bytes += RING_OVERHEAD_BYTES + arrayBytes(capacities[i], 4) * (singleValue[i] ? 1 : 3)
                    + (singleValue[i] ? 0 : arrayBytes(capacities[i], 2));
        }
        this.bytesPerSeries = bytes;
        int mapCapacity = (int) Math.min(1 << 20, (long) config.maxSeries() * 4 / 3 + 16);
        this.series = new ConcurrentHashMap<>(mapCapacity);
        this.byName = new ConcurrentHashMap<>(mapCapacity);
        this.sampler = new MeterSampler(this);
    }

    private static long arrayBytes(int length, int elementSize) {
        long raw = 16L + (long) length * elementSize;
        return (raw + 7) & ~7L;
    }

    @Override
    public HistoryConfig config() {
        return config;
    }

    @Override
    public void record(String name, Iterable<Tag> tags, long epochMillis, double value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tags, "tags");
        if (!Double.isFinite(value)) {
            return;
        }
        Series s = seriesFor(name, Tags.of(tags));
        if (s != null) {
            write(s, epochMillis, value);
        }
    }

    void write(Series s, long epochMillis, double value) {
        if (Double.isFinite(value) && s.add(epochMillis, value) && epochMillis > latestMillis.get()) {
            latestMillis.accumulateAndGet(epochMillis, Math::max);
        }
    }

    /** The series of this name and tags, created if needed; null if refused by the cap. */
    @Nullable
    Series seriesFor(String name, Tags tags) {
        SeriesKey key = new SeriesKey(name, tags);
        Series s = series.get(key);
        if (s != null) {
            return s;
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        creationLock.lock();
        try {
            s = series.get(key);
            if (s != null) {
                return s;
            }
            if (seriesCount >= config.maxSeries()) {
                dropped.incrementAndGet();
                if (dropLogged.compareAndSet(false, true)) {
                    LOG.warn("Metrics history reached maxSeries={}; new series such as '{}' {} are dropped "
                            + "(raise HistoryConfig.maxSeries or narrow includePrefixes)", config.maxSeries(), name, tags);
                }
                return null;
            }
            s = new Series(name, tags, resolutions, capacities, singleValue);
            series.put(key, s);
            Series[] old = byName.get(name);
            Series[] grown;
            if (old == null) {
                grown = new Series[] {s};
            } else {
                grown = Arrays.copyOf(old, old.length + 1);
                grown[old.length] = s;
            }
            byName.put(name, grown);
            seriesCount++;
            return s;
        } finally {
            creationLock.unlock();
        }
    }

    @Override
    public void sample(MeterRegistry registry, long epochMillis) {
        Objects.requireNonNull(registry, "registry");
        sampler.sample(registry, epochMillis);
    }

    @Override
    public List<TimeSeries> query(HistoryQuery q) {
        Objects.requireNonNull(q, "query");
        Series[] candidates = byName.get(q.name());
        if (candidates == null) {
            return List.of();
        }
        long from = toMillis(q.from());
        long to = toMillis(q.to());
        int tier = chooseTier(from, latestMillis.get());
        long resolution = resolutions[tier];
        long requested = Math.max(1, q.step().toMillis());
        long step = (requested + resolution - 1) / resolution * resolution;
        List<TimeSeries> result = new ArrayList<>();
        for (Series s : candidates) {
            if (hasAll(s.tags, q.tags())) {
                result.add(new TimeSeries(s.name, s.tags, s.read(tier, from, to, step)));
            }
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * The finest tier still holding {@code from}: it has the finest resolution available for that
     * range, so it is the finest one with a resolution at most the step if any is; if none holds
     * {@code from}, the coarsest (which holds the most).
     */
    int chooseTier(long from, long latest) {
        if (latest == Ring.NONE) {
            return 0;
        }
        for (int i = 0; i < resolutions.length; i++) {
            long oldestStart = (Math.floorDiv(latest, resolutions[i]) - capacities[i] + 1) * resolutions[i];
            if (from >= oldestStart) {
                return i;
            }
        }
        return resolutions.length - 1;
    }

    private static boolean hasAll(Tags seriesTags, Tags wanted) {
        for (Tag t : wanted) {
            boolean found = false;
            for (Tag have : seriesTags) {
                if (have.getKey().equals(t.getKey())) {
                    found = have.getValue().equals(t.getValue());
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static long toMillis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
        }
    }

    @Override
    public Optional<TimeSeries.Point> latest(String name, Iterable<Tag> tags) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tags, "tags");
        Series s = series.get(new SeriesKey(name, Tags.of(tags)));
        return s == null ? Optional.empty() : Optional.ofNullable(s.latest());
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }

    @Override
    public int seriesCount() {
        return seriesCount;
    }

    @Override
    public long droppedSeries() {
        return dropped.get();
    }

    @Override
    public long estimatedBytesPerSeries() {
        return bytesPerSeries;
    }

    /** @return number of meters whose sampling state is kept (for tests and status) */
    public int trackedMeters() {
        return sampler.trackedMeters();
    }

    /** @return number of meter reads that failed during sampling */
    public long samplingErrors() {
        return sampler.errors();
    }

    @Override
    public String toString() {
        return "MetricsHistory{series=" + seriesCount + ", dropped=" + dropped.get() + ", config=" + config + '}';
    }
}
