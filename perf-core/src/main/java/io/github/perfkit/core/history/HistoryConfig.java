package io.github.perfkit.core.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable configuration of a {@link MetricsHistory}. Build with {@link #builder()}; every setting
 * has a default ({@link #ofDefaults()}). Thread-safe.
 *
 * <h2>Storage and the default tiers</h2>
 * Every sample is written to every tier. A tier keeps {@code ceil(retention / resolution) + 1}
 * buckets in ring buffers of primitive arrays preallocated when a series is created (the extra
 * bucket holds the current, still open one, so a full retention window is always answerable).
 * <ul>
 *   <li>A tier whose resolution is at most the {@linkplain #sampleInterval() sample interval}
 *       receives one sample per bucket, so its min, max and average are the same number: it stores
 *       a single {@code float} per bucket (the mean if a bucket ever receives more than one sample)
 *       — 4 bytes per bucket.</li>
 *   <li>Coarser tiers store min, max and average as {@code float}s and the sample count as a
 *       {@code char} (unsigned 16 bits, saturating at 65535; used to weight averages across
 *       buckets) — 14 bytes per bucket.</li>
 * </ul>
 * {@code float} keeps about 7 significant digits, plenty for charts and alert thresholds, at half
 * the size of {@code double}. Empty buckets (gaps) are cleared when the ring advances, so no
 * per-bucket timestamp is stored: a bucket is valid when it lies in the retained window behind the
 * series' last written bucket and is not empty.
 *
 * <p>The defaults are 1 s for 15 min (901 &times; 4 B), 10 s for 6 h (2161 &times; 14 B) and
 * 5 min for 7 days (2017 &times; 14 B): about 62 KB per series, so the default cap of 500 series
 * stays under 32 MiB including object overhead, while reaching back 7 days. (A 1 min tier for
 * 7 days with min/max/avg would alone need 10 081 buckets, about 141 KB per series.)
 */
public final class HistoryConfig {

    /** Default cap on distinct series (name + tags). */
    public static final int DEFAULT_MAX_SERIES = 500;
    /** Default interval at which the host samples the registry. */
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(1);
    /** Default tiers: 1 s for 15 min, 10 s for 6 h, 5 min for 7 days. */
    public static final List<Tier> DEFAULT_TIERS = List.of(
            new Tier(Duration.ofSeconds(1), Duration.ofMinutes(15)),
            new Tier(Duration.ofSeconds(10), Duration.ofHours(6)),
            new Tier(Duration.ofMinutes(5), Duration.ofDays(7)));
    /** Upper bound on the buckets of one tier, to keep a mistyped configuration from exhausting the heap. */
    public static final int MAX_BUCKETS_PER_TIER = 1_000_000;
    /** Upper bound on the number of tiers. */
    public static final int MAX_TIERS = 8;

    private static final HistoryConfig DEFAULTS = builder().build();

    private final int maxSeries;
    private final List<Tier> tiers;
    private final List<String> includePrefixes;
    private final Duration sampleInterval;

    private HistoryConfig(Builder b) {
        this.maxSeries = b.maxSeries;
        this.tiers = List.copyOf(b.tiers);
        this.includePrefixes = List.copyOf(b.includePrefixes);
        this.sampleInterval = b.sampleInterval;
    }

    /**
     * The default configuration.
     *
     * @return the defaults
     */
    public static HistoryConfig ofDefaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return cap on distinct series; new series beyond it are dropped */
    public int maxSeries() {
        return maxSeries;
    }

    /** @return the tiers, finest resolution first */
    public List<Tier> tiers() {
        return tiers;
    }

    /** @return meter name prefixes sampled from a registry; empty means every meter */
    public List<String> includePrefixes() {
        return includePrefixes;
    }

    /** @return the interval at which the registry is sampled (one tick) */
    public Duration sampleInterval() {
        return sampleInterval;
    }

    /**
     * Whether a meter of this name is sampled by {@link MetricsHistory#sample}.
     *
     * @param meterName the meter name
     * @return true if there are no include prefixes or the name starts with one of them
     */
    public boolean includes(String meterName) {
        Objects.requireNonNull(meterName, "meterName");
        if (includePrefixes.isEmpty()) {
            return true;
        }
        for (String prefix : includePrefixes) {
            if (meterName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a tier stores a single value per bucket (see the class javadoc).
     *
     * @param tier one of {@link #tiers()}
     * @return true if the tier's resolution is at most the sample interval
     */
    public boolean isSingleValue(Tier tier) {
        Objects.requireNonNull(tier, "tier");
        return tier.resolution().compareTo(sampleInterval) <= 0;
    }

    @Override
    public String toString() {
        return "HistoryConfig{maxSeries=" + maxSeries + ", tiers=" + tiers + ", includePrefixes=" + includePrefixes
                + ", sampleInterval=" + sampleInterval + '}';
    }

    /**
     * One downsampling tier: buckets of {@code resolution} kept for {@code retention}. Thread-safe
     * (immutable).
     *
     * @param resolution width of one bucket, a positive whole number of milliseconds
     * @param retention how far back the tier reaches, at least {@code resolution}
     */
    public record Tier(Duration resolution, Duration retention) {

        /**
         * Validates the tier.
         *
         * @param resolution width of one bucket, a positive whole number of milliseconds
         * @param retention how far back the tier reaches, at least {@code resolution}
         * @throws IllegalArgumentException naming the bad field
         */
        public Tier {
            Objects.requireNonNull(resolution, "resolution");
            Objects.requireNonNull(retention, "retention");
            if (resolution.isNegative() || resolution.isZero() || resolution.toNanos() % 1_000_000L != 0) {
                throw new IllegalArgumentException(
                        "resolution must be a positive whole number of milliseconds, was " + resolution);
            }
            if (retention.compareTo(resolution) < 0) {
                throw new IllegalArgumentException(
                        "retention must be at least the resolution (" + resolution + "), was " + retention);
            }
            long buckets = bucketsFor(resolution, retention);
            if (buckets > MAX_BUCKETS_PER_TIER) {
                throw new IllegalArgumentException("retention / resolution must be at most " + MAX_BUCKETS_PER_TIER
                        + " buckets, was " + buckets + " (retention " + retention + ", resolution " + resolution + ")");
            }
        }

        /**
         * Number of buckets preallocated per series: {@code ceil(retention / resolution) + 1}.
         *
         * @return the ring capacity of this tier
         */
        public int capacity() {
            return (int) bucketsFor(resolution, retention) + 1;
        }

        private static long bucketsFor(Duration resolution, Duration retention) {
            long res = resolution.toMillis();
            long ret = retention.toMillis();
            return (ret + res - 1) / res;
        }
    }

    /** Builder of {@link HistoryConfig}; not thread-safe. */
    public static final class Builder {
        private int maxSeries = DEFAULT_MAX_SERIES;
        private List<Tier> tiers = DEFAULT_TIERS;
        private List<String> includePrefixes = List.of();
        private Duration sampleInterval = DEFAULT_SAMPLE_INTERVAL;

        private Builder() {}

        /**
         * @param maxSeries cap on distinct series, at least 1
         * @return this builder
         */
        public Builder maxSeries(int maxSeries) {
            if (maxSeries < 1) {
                throw new IllegalArgumentException("maxSeries must be at least 1, was " + maxSeries);
            }
            this.maxSeries = maxSeries;
            return this;
        }

        /**
         * @param tiers the tiers, finest first: 1 to {@value HistoryConfig#MAX_TIERS}, each resolution a
         *     multiple of the previous one and each retention at least the previous one
         * @return this builder
         */
        public Builder tiers(List<Tier> tiers) {
            Objects.requireNonNull(tiers, "tiers");
            List<Tier> copy = new ArrayList<>(tiers.size());
            for (Tier t : tiers) {
                copy.add(Objects.requireNonNull(t, "tiers element"));
            }
            if (copy.isEmpty() || copy.size() > MAX_TIERS) {
                throw new IllegalArgumentException(
                        "tiers must hold 1 to " + MAX_TIERS + " tiers, was " + copy.size());
            }
            for (int i = 1; i < copy.size(); i++) {
                Tier prev = copy.get(i - 1);
                Tier cur = copy.get(i);
                long p = prev.resolution().toMillis();
                long c = cur.resolution().toMillis();
                if (c <= p || c % p != 0) {
                    throw new IllegalArgumentException("tiers[" + i + "].resolution (" + cur.resolution()
                            + ") must be a larger multiple of tiers[" + (i - 1) + "].resolution (" + prev.resolution() + ")");
                }
                if (cur.retention().compareTo(prev.retention()) < 0) {
                    throw new IllegalArgumentException("tiers[" + i + "].retention (" + cur.retention()
                            + ") must be at least tiers[" + (i - 1) + "].retention (" + prev.retention() + ")");
                }
            }
            this.tiers = List.copyOf(copy);
            return this;
        }

        /**
         * @param tiers the tiers, finest first (see {@link #tiers(List)})
         * @return this builder
         */
        public Builder tiers(Tier... tiers) {
            return tiers(List.of(tiers));
        }

        /**
         * @param prefixes meter name prefixes to sample from a registry (none: every meter); not blank
         * @return this builder
         */
        public Builder includePrefixes(List<String> prefixes) {
            Objects.requireNonNull(prefixes, "includePrefixes");
            for (String p : prefixes) {
                if (Objects.requireNonNull(p, "includePrefixes element").isBlank()) {
                    throw new IllegalArgumentException("includePrefixes must not contain a blank prefix");
                }
            }
            this.includePrefixes = List.copyOf(prefixes);
            return this;
        }

        /**
         * @param prefixes meter name prefixes to sample from a registry (none: every meter); not blank
         * @return this builder
         */
        public Builder includePrefixes(String... prefixes) {
            return includePrefixes(List.of(prefixes));
        }

        /**
         * @param sampleInterval the interval at which the registry is sampled, a positive whole number of
         *     milliseconds; tiers at most this fine store one value per bucket
         * @return this builder
         */
        public Builder sampleInterval(Duration sampleInterval) {
            Objects.requireNonNull(sampleInterval, "sampleInterval");
            if (sampleInterval.isNegative() || sampleInterval.isZero() || sampleInterval.toNanos() % 1_000_000L != 0) {
                throw new IllegalArgumentException(
                        "sampleInterval must be a positive whole number of milliseconds, was " + sampleInterval);
            }
            this.sampleInterval = sampleInterval;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the immutable configuration
         */
        public HistoryConfig build() {
            return new HistoryConfig(this);
        }
    }
}
