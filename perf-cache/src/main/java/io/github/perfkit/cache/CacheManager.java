package io.github.perfkit.cache;

import io.github.perfkit.cache.codec.Codec;
import io.github.perfkit.cache.internal.CacheStatusContributor;
import io.github.perfkit.cache.internal.CircuitBreaker;
import io.github.perfkit.cache.internal.DefaultMultilevelCache;
import io.github.perfkit.cache.internal.InvalidationBus;
import io.github.perfkit.cache.internal.RemoteGuard;
import io.github.perfkit.cache.spi.RemoteTier;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.spi.StatusContributor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Registry of named {@link MultilevelCache}s sharing one optional remote tier, one invalidation
 * channel ({@code <prefix>:invalidation}) and one circuit breaker. Without a remote tier every cache
 * is L1-only (the embedded default). Thread-safe.
 *
 * <pre>{@code
 * CacheManager manager = CacheManager.builder()
 *         .perf(perf)
 *         .remoteTier(RedisTier.create(RedisTierConfig.builder().uri("redis://127.0.0.1:6379").build()))
 *         .build();
 * MultilevelCache<User> users = manager.cache("users", CacheConfig.ofDefaults(), JsonCodec.of(User.class));
 * }</pre>
 */
public final class CacheManager implements AutoCloseable {

    /** Default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "perfkit";
    /** Default number of consecutive L2 failures that open the breaker. */
    public static final int DEFAULT_BREAKER_FAILURES = 5;
    /** Default time the breaker stays open before probing. */
    public static final Duration DEFAULT_BREAKER_OPEN = Duration.ofSeconds(2);
    /** Default cap on the number of caches. */
    public static final int DEFAULT_MAX_CACHES = 256;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final String keyPrefix;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Executor executor;
    private final int maxCaches;
    private final @Nullable RemoteTier tier;
    private final @Nullable RemoteGuard remote;
    private final InvalidationBus bus;
    private final Map<String, MultilevelCache<?>> caches = new ConcurrentHashMap<>();
    private final StatusContributor status;
    private final @Nullable Perf perf;

    private CacheManager(Builder b) {
        this.keyPrefix = b.keyPrefix;
        this.registry = b.registry != null ? b.registry : new SimpleMeterRegistry();
        this.clock = b.clock;
        this.executor = b.executor;
        this.maxCaches = b.maxCaches;
        this.tier = b.tier;
        this.remote = b.tier == null ? null : new RemoteGuard(b.tier,
                new CircuitBreaker(b.breakerFailures, b.breakerOpen.toNanos(), clock), registry);
        this.bus = new InvalidationBus(keyPrefix + ":invalidation", UUID.randomUUID().toString(), remote, registry);
        this.status = new CacheStatusContributor(() -> List.copyOf(caches.values()), remote);
        if (b.tier != null) {
            b.tier.subscribe(bus.channel(), bus);
        }
        this.perf = b.perf;
        if (b.perf != null) {
            b.perf.register(status);
        }
    }

    /**
     * A builder with the defaults: no remote tier (L1-only), prefix {@value #DEFAULT_KEY_PREFIX}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a cache; with a remote tier its values are written to L2 with {@code codec}.
     *
     * @param name lowercase letters, digits, dots, dashes, underscores; at most 64 characters
     * @param config the configuration
     * @param codec encodes values for L2
     * @param <V> the value type
     * @return the new cache
     * @throws IllegalArgumentException if the name is invalid or already used
     * @throws IllegalStateException if {@link #DEFAULT_MAX_CACHES the cap} of caches is reached
     */
    public <V> MultilevelCache<V> cache(String name, CacheConfig config, Codec<V> codec) {
        return create(name, config, Objects.requireNonNull(codec, "codec"));
    }

    /**
     * Creates an L1-only cache (no codec, so never written to L2 even when the manager has a remote tier).
     *
     * @param name lowercase letters, digits, dots, dashes, underscores; at most 64 characters
     * @param config the configuration
     * @param <V> the value type
     * @return the new cache
     * @throws IllegalArgumentException if the name is invalid or already used
     * @throws IllegalStateException if the cap of caches is reached
     */
    public <V> MultilevelCache<V> localCache(String name, CacheConfig config) {
        return create(name, config, null);
    }

    private <V> MultilevelCache<V> create(String name, CacheConfig config, @Nullable Codec<V> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("cache name '" + name
                    + "' must be 1-64 lowercase letters, digits, '.', '-' or '_' (no ':' or glob characters)");
        }
        synchronized (caches) {
            if (caches.containsKey(name)) {
                throw new IllegalArgumentException("a cache named '" + name + "' already exists; use get(name)");
            }
            if (caches.size() >= maxCaches) {
                throw new IllegalStateException("cannot create more than " + maxCaches + " caches");
            }
            DefaultMultilevelCache<V> cache = new DefaultMultilevelCache<>(name, config, codec, remote, bus,
                    keyPrefix, registry, clock, executor);
            bus.register(cache);
            caches.put(name, cache);
            return cache;
        }
    }

    /**
     * @param name a cache name
     * @return the cache, if created
     */
    public Optional<MultilevelCache<?>> get(String name) {
        return Optional.ofNullable(caches.get(Objects.requireNonNull(name, "name")));
    }

    /** @return the names of the caches */
    public Set<String> names() {
        return Set.copyOf(caches.keySet());
    }

    /** @return the status section ({@code cache}) to register with a hub when not given one */
    public StatusContributor statusContributor() {
        return status;
    }

    /** @return whether a remote tier is configured */
    public boolean hasRemoteTier() {
        return tier != null;
    }

    /** @return the remote (L2) tier, if configured (e.g. a {@code RedisTier}, for its configuration and state) */
    public Optional<RemoteTier> remoteTier() {
        return Optional.ofNullable(tier);
    }

    /** @return the L2 circuit breaker state: {@code closed}, {@code open}, {@code half_open}, or {@code none} */
    public String remoteState() {
        return remote == null ? "none" : remote.breaker().state().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return all caches */
    public Collection<MultilevelCache<?>> caches() {
        return new ArrayList<>(caches.values());
    }

    /** Unregisters the status section from the hub and closes the remote tier, if any; never throws. */
    @Override
    public void close() {
        if (perf != null) {
            perf.unregister(status.name());
        }
        if (tier != null) {
            tier.close();
        }
    }

    /** Builder of {@link CacheManager}; not thread-safe. */
    public static final class Builder {
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private @Nullable MeterRegistry registry;
        private @Nullable Perf perf;
        private Clock clock = Clock.SYSTEM;
        private Executor executor = ForkJoinPool.commonPool();
        private int maxCaches = DEFAULT_MAX_CACHES;
        private @Nullable RemoteTier tier;
        private int breakerFailures = DEFAULT_BREAKER_FAILURES;
        private Duration breakerOpen = DEFAULT_BREAKER_OPEN;

        private Builder() {
        }

        /**
         * Prefix of every L2 key and of the invalidation channel.
         *
         * @param prefix lowercase letters, digits, dots, dashes, underscores
         * @return this builder
         */
        public Builder keyPrefix(String prefix) {
            Objects.requireNonNull(prefix, "keyPrefix");
            if (!NAME.matcher(prefix).matches()) {
                throw new IllegalArgumentException("keyPrefix '" + prefix
                        + "' must be 1-64 lowercase letters, digits, '.', '-' or '_'");
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * Where to publish metrics (default: the hub's registry, or a private simple registry).
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder registry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * A Perfkit hub: its registry receives the metrics and the {@code cache} status section is registered.
         *
         * @param perf the hub
         * @return this builder
         */
        public Builder perf(Perf perf) {
            this.perf = Objects.requireNonNull(perf, "perf");
            if (registry == null) {
                registry = perf.registry();
            }
            return this;
        }

        /**
         * Monotonic time source for TTLs, load latency and the breaker (tests pass a {@code MockClock}).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Runs refresh-ahead loads (default: the common fork-join pool).
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Cap on the number of caches.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxCaches(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxCaches must be at least 1, was " + max);
            }
            this.maxCaches = max;
            return this;
        }

        /**
         * The remote (L2) tier, e.g. {@code RedisTier}; the manager closes it.
         *
         * @param tier the tier
         * @return this builder
         */
        public Builder remoteTier(RemoteTier tier) {
            this.tier = Objects.requireNonNull(tier, "remoteTier");
            return this;
        }

        /**
         * Consecutive L2 failures that open the circuit breaker.
         *
         * @param failures at least 1
         * @return this builder
         */
        public Builder breakerFailureThreshold(int failures) {
            if (failures < 1) {
                throw new IllegalArgumentException("breakerFailureThreshold must be at least 1, was " + failures);
            }
            this.breakerFailures = failures;
            return this;
        }

        /**
         * How long the breaker stays open before one probe.
         *
         * @param duration positive
         * @return this builder
         */
        public Builder breakerOpenDuration(Duration duration) {
            Objects.requireNonNull(duration, "breakerOpenDuration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("breakerOpenDuration must be positive, was " + duration);
            }
            this.breakerOpen = duration;
            return this;
        }

        /**
         * Builds the manager and subscribes to the invalidation channel (asynchronously when L2 is down).
         *
         * @return the manager
         */
        public CacheManager build() {
            return new CacheManager(this);
        }
    }
}
