package io.github.perfkit.core.metrics;

import io.github.perfkit.core.internal.metrics.CardinalityBook;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A meter filter that bounds the number of series per meter name.
 *
 * <p>For each meter name, the first {@link #maxSeriesPerName()} distinct tag sets pass unchanged; every
 * further tag set is mapped to one overflow series per name that keeps the tag keys and sets every value
 * to {@value #OVERFLOW_TAG_VALUE}. The number of tag sets folded that way is published as the counter
 * {@code perfkit.meters.overflow} (tag {@code name}) and the first overflow of a name is logged once.
 * Meters without tags, meters whose name starts with an {@linkplain Builder#exempt(String) exempt}
 * prefix and the overflow counter itself are never limited.
 *
 * <pre>{@code
 * CardinalityGuard guard = CardinalityGuard.builder().maxSeriesPerName(200).exempt("perfkit.jvm.").build();
 * registry.config().meterFilter(guard);
 * // once per tick, from the hub's scheduler:
 * guard.expireIdle(registry);
 * }</pre>
 *
 * <p>{@link #expireIdle(MeterRegistry)} removes from the registry the counters, timers, distribution
 * summaries and idle long task timers whose count did not change for {@link #idleExpiry()}, which frees
 * their slot for a new tag set; gauges and function meters are owned by their binder and never expire,
 * and the overflow series never expires. It also registers the overflow counters, so they appear at the
 * first call after an overflow. Code that keeps a reference to an expired meter records into a meter the
 * registry no longer publishes, so expiry suits meters looked up per use ({@code registry.counter(..)}).
 * A guard serves one registry. Its bookkeeping is bounded: at most {@link #maxTrackedNames()} names are
 * tracked (meters with further names pass unlimited, logged once).
 *
 * <p>Thread-safe: {@link #map(Meter.Id)} may run on any thread; {@link #expireIdle} runs on one thread
 * at a time.
 */
public final class CardinalityGuard implements MeterFilter {

    /** Default cap on distinct tag sets per meter name. */
    public static final int DEFAULT_MAX_SERIES_PER_NAME = 500;
    /** Default time without change after which a series is removed. */
    public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofMinutes(10);
    /** Default cap on the meter names the guard keeps track of. */
    public static final int DEFAULT_MAX_TRACKED_NAMES = 10_000;
    /** Tag value of every tag of an overflow series. */
    public static final String OVERFLOW_TAG_VALUE = CardinalityBook.OTHER;

    private final int maxSeriesPerName;
    private final Duration idleExpiry;
    private final int maxTrackedNames;
    private final Clock clock;
    private final List<String> exempt;
    private final CardinalityBook book;

    private CardinalityGuard(Builder b) {
        this.maxSeriesPerName = b.maxSeriesPerName;
        this.idleExpiry = b.idleExpiry;
        this.maxTrackedNames = b.maxTrackedNames;
        this.clock = b.clock;
        this.exempt = List.copyOf(b.exempt);
        this.book = new CardinalityBook(maxSeriesPerName, maxTrackedNames, idleExpiry.toNanos(),
                MetricNames.METERS_OVERFLOW, exempt);
    }

    /**
     * A guard with the default settings.
     *
     * @return a new guard
     */
    public static CardinalityGuard ofDefaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Passes the id, or maps it to the overflow series of its name when the name already has
     * {@link #maxSeriesPerName()} tag sets.
     *
     * @param id the id being registered
     * @return the id or its overflow id
     */
    @Override
    public Meter.Id map(Meter.Id id) {
        try {
            return book.map(id, clock.monotonicTime());
        } catch (RuntimeException e) {
            // Never fail the host's meter registration because of the guard.
            return id;
        }
    }

    /**
     * Removes the series idle for {@link #idleExpiry()} from {@code registry} and frees their slots, and
     * registers the overflow counters of names that overflowed. Meant to be called once per tick.
     *
     * @param registry the registry this guard filters
     */
    public void expireIdle(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        book.expire(registry, clock.monotonicTime());
    }

    /**
     * @param name a meter name
     * @return how many tag sets of that name were folded into its overflow series
     */
    public long overflowCount(String name) {
        Objects.requireNonNull(name, "name");
        return book.overflowCount(name);
    }

    /** @return number of meter names currently tracked */
    public int trackedNames() {
        return book.trackedNames();
    }

    /** @return cap on distinct tag sets per meter name */
    public int maxSeriesPerName() {
        return maxSeriesPerName;
    }

    /** @return time without change after which a series is removed */
    public Duration idleExpiry() {
        return idleExpiry;
    }

    /** @return cap on tracked meter names */
    public int maxTrackedNames() {
        return maxTrackedNames;
    }

    /** @return name prefixes that are not limited */
    public List<String> exempt() {
        return exempt;
    }

    @Override
    public String toString() {
        return "CardinalityGuard{maxSeriesPerName=" + maxSeriesPerName + ", idleExpiry=" + idleExpiry
                + ", maxTrackedNames=" + maxTrackedNames + ", exempt=" + exempt + '}';
    }

    /** Builder of {@link CardinalityGuard}; not thread-safe. */
    public static final class Builder {
        private int maxSeriesPerName = DEFAULT_MAX_SERIES_PER_NAME;
        private Duration idleExpiry = DEFAULT_IDLE_EXPIRY;
        private int maxTrackedNames = DEFAULT_MAX_TRACKED_NAMES;
        private Clock clock = Clock.SYSTEM;
        private final List<String> exempt = new ArrayList<>();

        private Builder() {}

        /**
         * @param maxSeriesPerName distinct tag sets per meter name that get their own series, at least 1
         * @return this builder
         */
        public Builder maxSeriesPerName(int maxSeriesPerName) {
            this.maxSeriesPerName = maxSeriesPerName;
            return this;
        }

        /**
         * @param idleExpiry time without change after which a series is removed, positive
         * @return this builder
         */
        public Builder idleExpiry(Duration idleExpiry) {
            this.idleExpiry = Objects.requireNonNull(idleExpiry, "idleExpiry");
            return this;
        }

        /**
         * @param maxTrackedNames meter names tracked at most, at least 1
         * @return this builder
         */
        public Builder maxTrackedNames(int maxTrackedNames) {
            this.maxTrackedNames = maxTrackedNames;
            return this;
        }

        /**
         * @param clock the clock that measures idleness (a {@code MockClock} in tests)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Adds a meter name prefix that is not limited (e.g. {@code "perfkit.jvm."}).
         *
         * @param prefix a non-empty name prefix
         * @return this builder
         */
        public Builder exempt(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isEmpty()) {
                throw new IllegalArgumentException("exempt: prefix must not be empty (it would exempt every meter)");
            }
            exempt.add(prefix);
            return this;
        }

        /**
         * Validates the settings and builds the guard.
         *
         * @return the guard
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public CardinalityGuard build() {
            if (maxSeriesPerName < 1) {
                throw new IllegalArgumentException("maxSeriesPerName must be >= 1, was " + maxSeriesPerName);
            }
            if (idleExpiry.isNegative() || idleExpiry.isZero()) {
                throw new IllegalArgumentException("idleExpiry must be positive, was " + idleExpiry);
            }
            if (maxTrackedNames < 1) {
                throw new IllegalArgumentException("maxTrackedNames must be >= 1, was " + maxTrackedNames);
            }
            return new CardinalityGuard(this);
        }
    }
}
