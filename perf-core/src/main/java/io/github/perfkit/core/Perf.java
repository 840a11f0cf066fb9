package io.github.perfkit.core;

import io.github.perfkit.core.internal.tracking.DefaultPerformanceTracker;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * The Perfkit hub: one per application. It owns the Micrometer registry it publishes to, the clock,
 * the tracker and profiler, the metrics history, the health registry and the collection tick.
 *
 * <pre>{@code
 * Perf perf = Perf.builder()
 *         .registry(meterRegistry)      // optional: a SimpleMeterRegistry otherwise
 *         .build();
 * try (var scope = perf.tracker().start("checkout")) {
 *     checkout(cart);
 * }
 * perf.close();                         // at shutdown
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Perf implements AutoCloseable {

    private final MeterRegistry registry;
    private final Clock clock;
    private final DefaultPerformanceTracker tracker;

    private Perf(Builder b) {
        this.registry = b.registry != null ? b.registry : new SimpleMeterRegistry();
        this.clock = b.clock != null ? b.clock : registry.config().clock();
        this.tracker = new DefaultPerformanceTracker(b.trackerConfig, registry, clock);
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The tracker that measures operations.
     *
     * @return the tracker
     */
    public PerformanceTracker tracker() {
        return tracker;
    }

    /**
     * The profiler that builds per-request profile trees.
     *
     * @return the profiler
     */
    public Profiler profiler() {
        return tracker;
    }

    /**
     * The registry everything is published to.
     *
     * @return the registry
     */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The clock used for windows, history and time stamps.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Runs one collection tick now: drains tracking buffers and advances windows. The hub does this
     * on its own every tick; calling it is only useful in tests driven by a fake clock.
     */
    public void tick() {
        tracker.tick();
    }

    /** Stops the collection tick and removes Perfkit's meters from the registry. */
    @Override
    public void close() {
        tracker.close();
    }

    /** Builder of {@link Perf}; not thread-safe. */
    public static final class Builder {
        private MeterRegistry registry;
        private Clock clock;
        private TrackerConfig trackerConfig = TrackerConfig.ofDefaults();
        private Duration tickInterval = Duration.ofSeconds(1);

        private Builder() {}

        /**
         * @param registry the registry to publish to
         * @return this builder
         */
        public Builder registry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * @param clock the clock (default: the registry's)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param config tracker and profiler configuration
         * @return this builder
         */
        public Builder tracker(TrackerConfig config) {
            this.trackerConfig = Objects.requireNonNull(config, "tracker");
            return this;
        }

        /**
         * @param interval period of the collection tick, at least 100 ms
         * @return this builder
         */
        public Builder tickInterval(Duration interval) {
            Objects.requireNonNull(interval, "tickInterval");
            if (interval.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("tickInterval must be at least 100ms, was " + interval);
            }
            this.tickInterval = interval;
            return this;
        }

        /**
         * Builds the hub and starts its collection tick.
         *
         * @return the hub
         */
        public Perf build() {
            return new Perf(this);
        }
    }
}
