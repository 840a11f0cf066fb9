package io.github.perfkit.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration of one {@link MultilevelCache}. Build with {@link #builder()}; every
 * setting has a default ({@link #ofDefaults()}); {@link Builder#build()} validates and names the bad
 * field. Thread-safe.
 */
public final class CacheConfig {

    /** Default maximum number of L1 entries. */
    public static final long DEFAULT_L1_MAXIMUM_SIZE = 10_000;
    /** Default L1 time to live. */
    public static final Duration DEFAULT_L1_TTL = Duration.ofMinutes(5);
    /** Default L2 time to live. */
    public static final Duration DEFAULT_L2_TTL = Duration.ofMinutes(30);
    /** Default time to live of a cached absent (null) result, in both levels. */
    public static final Duration DEFAULT_NULL_TTL = Duration.ofSeconds(30);
    /** Default L1 time to live of entries written while L2 is unreachable (invalidations may be missed). */
    public static final Duration DEFAULT_DEGRADED_L1_TTL = Duration.ofSeconds(10);
    /** Default lifetime of the L2 marker an eviction leaves behind (see {@link Builder#invalidationMarkerTtl}). */
    public static final Duration DEFAULT_INVALIDATION_MARKER_TTL = Duration.ofSeconds(10);
    /** Default fraction of the L2 TTL added at random to each L2 write. */
    public static final double DEFAULT_L2_TTL_JITTER = 0.1;
    /** Default longest key. */
    public static final int DEFAULT_MAX_KEY_LENGTH = 512;

    private static final CacheConfig DEFAULTS = builder().build();

    private final boolean l1Enabled;
    private final long l1MaximumSize;
    private final Duration l1Ttl;
    private final boolean l2Enabled;
    private final Duration l2Ttl;
    private final double l2TtlJitter;
    private final boolean cacheNulls;
    private final Duration nullTtl;
    private final Duration degradedL1Ttl;
    private final Duration invalidationMarkerTtl;
    private final double refreshAhead;
    private final int maxKeyLength;

    private CacheConfig(Builder b) {
        this.l1Enabled = b.l1Enabled;
        this.l1MaximumSize = b.l1MaximumSize;
        this.l1Ttl = b.l1Ttl;
        this.l2Enabled = b.l2Enabled;
        this.l2Ttl = b.l2Ttl;
        this.l2TtlJitter = b.l2TtlJitter;
        this.cacheNulls = b.cacheNulls;
        this.nullTtl = b.nullTtl;
        this.degradedL1Ttl = b.degradedL1Ttl;
        this.invalidationMarkerTtl = b.invalidationMarkerTtl;
        this.refreshAhead = b.refreshAhead;
        this.maxKeyLength = b.maxKeyLength;
    }

    /**
     * The default configuration.
     *
     * @return the defaults
     */
    public static CacheConfig ofDefaults() {
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

    /** @return whether the in-process level is used */
    public boolean l1Enabled() {
        return l1Enabled;
    }

    /** @return maximum number of L1 entries */
    public long l1MaximumSize() {
        return l1MaximumSize;
    }

    /** @return L1 time to live */
    public Duration l1Ttl() {
        return l1Ttl;
    }

    /** @return whether the remote level is used when the manager has one */
    public boolean l2Enabled() {
        return l2Enabled;
    }

    /** @return L2 time to live before jitter */
    public Duration l2Ttl() {
        return l2Ttl;
    }

    /** @return fraction of the L2 TTL added at random to each L2 write, in [0, 1] */
    public double l2TtlJitter() {
        return l2TtlJitter;
    }

    /** @return whether absent (null) results of the loader are cached */
    public boolean cacheNulls() {
        return cacheNulls;
    }

    /** @return time to live of cached absent results */
    public Duration nullTtl() {
        return nullTtl;
    }

    /** @return L1 time to live of entries written while L2 is unreachable */
    public Duration degradedL1Ttl() {
        return degradedL1Ttl;
    }

    /** @return lifetime of the L2 marker an eviction leaves behind */
    public Duration invalidationMarkerTtl() {
        return invalidationMarkerTtl;
    }

    /**
     * Fraction of the L1 TTL after which a hit through {@code get(key, loader)} reloads the entry in
     * the background; 0 disables refresh-ahead.
     *
     * @return the refresh-ahead fraction, 0 or in (0, 1)
     */
    public double refreshAhead() {
        return refreshAhead;
    }

    /** @return longest key accepted */
    public int maxKeyLength() {
        return maxKeyLength;
    }

    /** Builder of {@link CacheConfig}; not thread-safe. */
    public static final class Builder {
        private boolean l1Enabled = true;
        private long l1MaximumSize = DEFAULT_L1_MAXIMUM_SIZE;
        private Duration l1Ttl = DEFAULT_L1_TTL;
        private boolean l2Enabled = true;
        private Duration l2Ttl = DEFAULT_L2_TTL;
        private double l2TtlJitter = DEFAULT_L2_TTL_JITTER;
        private boolean cacheNulls = true;
        private Duration nullTtl = DEFAULT_NULL_TTL;
        private Duration degradedL1Ttl = DEFAULT_DEGRADED_L1_TTL;
        private Duration invalidationMarkerTtl = DEFAULT_INVALIDATION_MARKER_TTL;
        private double refreshAhead;
        private int maxKeyLength = DEFAULT_MAX_KEY_LENGTH;
        private boolean allowL1TtlAboveL2;

        private Builder() {
        }

        /**
         * Whether the in-process level is used (disable only to measure or to share nothing per node).
         *
         * @param enabled true to use L1
         * @return this builder
         */
        public Builder l1Enabled(boolean enabled) {
            this.l1Enabled = enabled;
            return this;
        }

        /**
         * Maximum number of L1 entries.
         *
         * @param size at least 1
         * @return this builder
         */
        public Builder l1MaximumSize(long size) {
            this.l1MaximumSize = size;
            return this;
        }

        /**
         * L1 time to live.
         *
         * @param ttl positive
         * @return this builder
         */
        public Builder l1Ttl(Duration ttl) {
            this.l1Ttl = Objects.requireNonNull(ttl, "l1Ttl");
            return this;
        }

        /**
         * Whether the remote level is used when the manager has one.
         *
         * @param enabled true to use L2
         * @return this builder
         */
        public Builder l2Enabled(boolean enabled) {
            this.l2Enabled = enabled;
            return this;
        }

        /**
         * L2 time to live before jitter.
         *
         * @param ttl at least one second (Redis expiry granularity used here)
         * @return this builder
         */
        public Builder l2Ttl(Duration ttl) {
            this.l2Ttl = Objects.requireNonNull(ttl, "l2Ttl");
            return this;
        }

        /**
         * Fraction of the L2 TTL added at random to each write, so keys written together do not
         * expire together.
         *
         * @param jitter in [0, 1]
         * @return this builder
         */
        public Builder l2TtlJitter(double jitter) {
            this.l2TtlJitter = jitter;
            return this;
        }

        /**
         * Whether absent (null) results of the loader are cached, protecting the source from
         * repeated lookups of missing keys.
         *
         * @param cache true to cache nulls
         * @return this builder
         */
        public Builder cacheNulls(boolean cache) {
            this.cacheNulls = cache;
            return this;
        }

        /**
         * Time to live of cached absent results (both levels; capped by each level's TTL).
         *
         * @param ttl positive
         * @return this builder
         */
        public Builder nullTtl(Duration ttl) {
            this.nullTtl = Objects.requireNonNull(ttl, "nullTtl");
            return this;
        }

        /**
         * L1 time to live of entries written while L2 is unreachable: invalidation messages cannot
         * arrive then, so nodes converge after at most this long.
         *
         * @param ttl positive
         * @return this builder
         */
        public Builder degradedL1Ttl(Duration ttl) {
            this.degradedL1Ttl = Objects.requireNonNull(ttl, "degradedL1Ttl");
            return this;
        }

        /**
         * Lifetime of the marker {@code evict(key)} leaves in L2 instead of just deleting the key: while
         * it is there, a load of that key that started before the eviction (on any node) cannot store
         * its now stale value. Set it above your slowest loader's duration.
         *
         * @param ttl at least 1 ms
         * @return this builder
         */
        public Builder invalidationMarkerTtl(Duration ttl) {
            this.invalidationMarkerTtl = Objects.requireNonNull(ttl, "invalidationMarkerTtl");
            return this;
        }

        /**
         * Fraction of the L1 TTL after which a hit reloads the entry in the background.
         *
         * @param fraction 0 (off) or in (0, 1)
         * @return this builder
         */
        public Builder refreshAhead(double fraction) {
            this.refreshAhead = fraction;
            return this;
        }

        /**
         * Longest key accepted; longer keys are rejected with {@link IllegalArgumentException}.
         *
         * @param length in [1, 4096]
         * @return this builder
         */
        public Builder maxKeyLength(int length) {
            this.maxKeyLength = length;
            return this;
        }

        /**
         * Allows an L1 TTL longer than the L2 TTL (rejected by default: L1 would outlive L2).
         *
         * @param allow true to allow
         * @return this builder
         */
        public Builder allowL1TtlAboveL2(boolean allow) {
            this.allowL1TtlAboveL2 = allow;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public CacheConfig build() {
            if (l1MaximumSize < 1) {
                throw new IllegalArgumentException("l1MaximumSize must be at least 1, was " + l1MaximumSize);
            }
            positive(l1Ttl, "l1Ttl");
            positive(nullTtl, "nullTtl");
            positive(degradedL1Ttl, "degradedL1Ttl");
            if (invalidationMarkerTtl.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("invalidationMarkerTtl must be at least 1ms, was "
                        + invalidationMarkerTtl);
            }
            if (l2Ttl.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("l2Ttl must be at least 1s, was " + l2Ttl);
            }
            if (!allowL1TtlAboveL2 && l1Ttl.compareTo(l2Ttl) > 0) {
                throw new IllegalArgumentException("l1Ttl (" + l1Ttl + ") must not exceed l2Ttl (" + l2Ttl
                        + "); set allowL1TtlAboveL2(true) to allow it");
            }
            if (!(l2TtlJitter >= 0 && l2TtlJitter <= 1)) {
                throw new IllegalArgumentException("l2TtlJitter must be in [0, 1], was " + l2TtlJitter);
            }
            if (!(refreshAhead == 0 || (refreshAhead > 0 && refreshAhead < 1))) {
                throw new IllegalArgumentException("refreshAhead must be 0 (off) or in (0, 1), was " + refreshAhead);
            }
            if (maxKeyLength < 1 || maxKeyLength > 4096) {
                throw new IllegalArgumentException("maxKeyLength must be in [1, 4096], was " + maxKeyLength);
            }
            return new CacheConfig(this);
        }

        private static void positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }
}
