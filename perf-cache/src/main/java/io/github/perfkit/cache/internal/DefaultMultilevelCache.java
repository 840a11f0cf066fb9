package io.github.perfkit.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.perfkit.cache.CacheConfig;
import io.github.perfkit.cache.CacheKeys;
import io.github.perfkit.cache.CacheStats;
import io.github.perfkit.cache.MetricNames;
import io.github.perfkit.cache.MultilevelCache;
import io.github.perfkit.cache.codec.Codec;
import io.github.perfkit.cache.codec.CodecException;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multilevel cache: Caffeine L1, optional remote L2 behind a {@link RemoteGuard}, per-node
 * single-flight loading, and generation checks so an invalidation beats an in-flight load.
 * Thread-safe.
 *
 * @param <V> the value type
 */
public final class DefaultMultilevelCache<V> implements MultilevelCache<V> {

    /** L1 marker of a cached absent result. */
    static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "ABSENT";
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(DefaultMultilevelCache.class);
    private static final Object MISSING = new Object();
    /** L2 could not be read: the load that follows does not write L2 either (it would wait a second timeout). */
    private static final Object UNREACHABLE = new Object();
    private static final byte HEADER_ABSENT = 0;
    private static final byte HEADER_VALUE = 1;
    private static final byte HEADER_TOMBSTONE = 2;
    /**
     * Lifetime of a cache's pattern-invalidation epoch in L2. Longer than any load: a load that straddles
     * a pattern invalidation sees the epoch change (an expired epoch also reads as a change).
     */
    static final Duration EPOCH_TTL = Duration.ofDays(1);
    private static final int STRIPES = 1024;

    private final String name;
    private final CacheConfig config;
    private final @Nullable Codec<V> codec;
    private final @Nullable RemoteGuard remote;
    private final InvalidationBus bus;
    private final String namespace;
    private final String patternNamespace;
    /**
     * L2 key of the cache's pattern-invalidation epoch, outside every cache's namespace (cache names
     * cannot start with '_'): a random token replaced before each pattern invalidation.
     */
    private final String epochKey;
    /** How long an evicted key keeps its invalidation marker in L2. */
    private final Duration markerTtl;
    private final Clock clock;
    private final Executor executor;
    private final @Nullable Cache<String, L1Entry> l1;
    private final ConcurrentHashMap<String, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();
    /** Bumped by key invalidations (per stripe of keys) and by pattern/whole invalidations (global). */
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
    private final AtomicLong global = new AtomicLong();
    private final RateLimitedLog log = new RateLimitedLog(LOG);

    /** The configured L1 TTL: Caffeine expires every entry after it (fixed expireAfterWrite). */
    private final long l1TtlNanos;
    private final double refreshAhead;
    private final Counter evictedExpired;
    // Striped counters on the hot path, published as function counters: a hit costs one uncontended
    // LongAdder add instead of a Micrometer Counter (which may be a composite fanning out to registries).
    private final LongAdder l1Hits = new LongAdder();
    private final LongAdder l1Misses = new LongAdder();
    private final LongAdder l2Hits = new LongAdder();
    private final LongAdder l2Misses = new LongAdder();
    private final Timer loadSuccess;
    private final Timer loadFailure;
    private final Counter puts;
    private final Counter codecErrors;
    private final Counter invalidatedKey;
    private final Counter invalidatedPattern;
    private final Counter invalidatedAll;
    private final Counter invalidatedRemote;

    /**
     * @param name the cache name
     * @param config the configuration
     * @param codec the codec, or null for an L1-only cache
     * @param remote the remote tier, or null for an L1-only cache
     * @param bus the invalidation channel of the manager
     * @param keyPrefix the manager's key prefix
     * @param registry where to publish metrics
     * @param clock monotonic time source (also the L1 ticker)
     * @param executor runs refresh-ahead loads
     */
    public DefaultMultilevelCache(String name, CacheConfig config, @Nullable Codec<V> codec,
                                  @Nullable RemoteGuard remote, InvalidationBus bus, String keyPrefix,
                                  MeterRegistry registry, Clock clock, Executor executor) {
        this.name = name;
        this.config = config;
        this.codec = codec;
        this.remote = config.l2Enabled() && codec != null ? remote : null;
        this.bus = bus;
        this.namespace = keyPrefix + ":" + name + ":";
        this.patternNamespace = CacheKeys.escapeGlob(namespace);
        this.epochKey = keyPrefix + ":__epoch:" + name;
        this.markerTtl = config.invalidationMarkerTtl();
        this.clock = clock;
        this.executor = executor;
        Counter evictedSize = Counter.builder(MetricNames.EVICTIONS).tag(MetricNames.TAG_CACHE, name)
                .tag("cause", "size").register(registry);
        this.l1TtlNanos = config.l1Ttl().toNanos();
        this.refreshAhead = config.refreshAhead();
        this.evictedExpired = Counter.builder(MetricNames.EVICTIONS).tag(MetricNames.TAG_CACHE, name)
                .tag("cause", "expired").register(registry);
        if (config.l1Enabled()) {
            // One fixed expireAfterWrite (the configured L1 TTL) instead of a per-entry Expiry: cheaper on
            // every hit. The rare entries with a shorter TTL (absent markers, per-call TTLs, entries written
            // while L2 is degraded) carry their own deadline, checked on read (see live()).
            Ticker ticker = clock == Clock.SYSTEM ? Ticker.systemTicker() : clock::monotonicTime;
            this.l1 = Caffeine.newBuilder()
                    .maximumSize(config.l1MaximumSize())
                    .expireAfterWrite(Duration.ofNanos(l1TtlNanos))
                    .ticker(ticker)
                    .executor(Runnable::run)
                    .evictionListener((String k, L1Entry v, RemovalCause cause) ->
                            (cause == RemovalCause.EXPIRED ? evictedExpired : evictedSize).increment())
                    .build();
        } else {
            this.l1 = null;
        }
        gets(registry, "l1", "hit", l1Hits);
        gets(registry, "l1", "miss", l1Misses);
        gets(registry, "l2", "hit", l2Hits);
        gets(registry, "l2", "miss", l2Misses);
        this.loadSuccess = Timer.builder(MetricNames.LOADS).tag(MetricNames.TAG_CACHE, name)
                .tag(MetricNames.TAG_RESULT, "success").register(registry);
        this.loadFailure = Timer.builder(MetricNames.LOADS).tag(MetricNames.TAG_CACHE, name)
                .tag(MetricNames.TAG_RESULT, "failure").register(registry);
        this.puts = Counter.builder(MetricNames.PUTS).tag(MetricNames.TAG_CACHE, name).register(registry);
        this.codecErrors = Counter.builder(MetricNames.CODEC_ERRORS).tag(MetricNames.TAG_CACHE, name).register(registry);
        this.invalidatedKey = invalidations(registry, "key");
        this.invalidatedPattern = invalidations(registry, "pattern");
        this.invalidatedAll = invalidations(registry, "all");
        this.invalidatedRemote = invalidations(registry, "remote");
        Gauge.builder(MetricNames.SIZE, this, c -> c.l1 == null ? 0 : c.l1.estimatedSize())
                .tag(MetricNames.TAG_CACHE, name).tag(MetricNames.TAG_LEVEL, "l1").register(registry);
    }

    private LongAdder gets(MeterRegistry registry, String level, String result, LongAdder adder) {
        FunctionCounter.builder(MetricNames.GETS, adder, LongAdder::sum).tag(MetricNames.TAG_CACHE, name)
                .tag(MetricNames.TAG_LEVEL, level).tag(MetricNames.TAG_RESULT, result).register(registry);
        return adder;
    }

    private Counter invalidations(MeterRegistry registry, String type) {
        return Counter.builder(MetricNames.INVALIDATIONS).tag(MetricNames.TAG_CACHE, name)
                .tag(MetricNames.TAG_TYPE, type).register(registry);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public @Nullable V getIfPresent(String key) {
        L1Entry e = readL1(key);
        if (e != null) {
            return unwrap(e.value());
        }
        if (remote == null) {
            return null;
        }
        long gen = generation(key);
        Object v = readL2(key);
        if (v == MISSING || v == UNREACHABLE) {
            return null;
        }
        storeL1(key, v, gen, null);
        return unwrap(v);
    }

    @Override
    public @Nullable V get(String key, Function<? super String, ? extends @Nullable V> loader) {
        return get(key, loader, null);
    }

    @Override
    public @Nullable V get(String key, Duration ttl, Function<? super String, ? extends @Nullable V> loader) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        return get(key, loader, ttl);
    }

    private @Nullable V get(String key, Function<? super String, ? extends @Nullable V> loader,
                            @Nullable Duration ttl) {
        Objects.requireNonNull(loader, "loader");
        L1Entry e = readL1(key);
        if (e != null) {
            maybeRefresh(key, e, loader, ttl);
            return unwrap(e.value());
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) {
            return unwrap(await(leader));
        }
        try {
            Object result = loadThrough(key, loader, ttl);
            mine.complete(result);
            return unwrap(result);
        } catch (RuntimeException | Error t) {
            mine.completeExceptionally(t);
            throw t;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private static Object await(CompletableFuture<Object> leader) {
        try {
            return leader.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private Object loadThrough(String key, Function<? super String, ? extends @Nullable V> loader,
                               @Nullable Duration ttl) {
        if (l1 != null) {
            // The previous leader may have finished between our L1 miss and becoming leader.
            L1Entry e = live(key, l1.getIfPresent(key));
            if (e != null) {
                return e.value();
            }
        }
        long gen = generation(key);
        boolean writeL2 = false;
        byte[] observed = null;
        byte[] epoch = null;
        if (remote != null) {
            byte[] raw = remote.get(namespace + key);
            if (raw == RemoteGuard.FAILED) {
                // L2 unreachable: do not wait a second timeout writing to it.
                l2Misses.increment();
            } else {
                Object v = decodeL2(key, raw);
                if (v != MISSING) {
                    storeL1(key, v, gen, ttl);
                    return v;
                }
                observed = isTombstone(raw) ? raw : null;
                // Read before the loader runs: a pattern invalidation from now on changes it.
                epoch = remote.get(epochKey);
                writeL2 = epoch != RemoteGuard.FAILED;
            }
        }
        return loadAndStore(key, loader, gen, writeL2, observed, epoch, ttl);
    }

    private static boolean isTombstone(byte @Nullable [] raw) {
        return raw != null && raw.length > 0 && raw[0] == HEADER_TOMBSTONE;
    }

    /**
     * Runs the loader and stores its result: in L1 if no local invalidation happened since {@code gen};
     * in L2 too ({@code writeL2}) only if L2 still holds what the load {@code observed}, and the write
     * is undone if a pattern invalidation (on any node) changed the {@code epoch} read before the load.
     */
    private Object loadAndStore(String key, Function<? super String, ? extends @Nullable V> loader, long gen,
                                boolean writeL2, byte @Nullable [] observed, byte @Nullable [] epoch,
                                @Nullable Duration ttl) {
        long start = clock.monotonicTime();
        V v;
        try {
            v = loader.apply(key);
        } catch (RuntimeException | Error t) {
            loadFailure.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
            throw t;
        }
        loadSuccess.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
        Object value = v == null ? ABSENT : v;
        if (v != null || config.cacheNulls()) {
            if (writeL2) {
                if (storeBoth(key, value, gen, true, observed, ttl) && epochChanged(epoch)) {
                    tombstone(key);
                }
            } else {
                storeL1(key, value, gen, ttl);
            }
        }
        return value;
    }

    private void maybeRefresh(String key, L1Entry e, Function<? super String, ? extends @Nullable V> loader,
                              @Nullable Duration ttl) {
        if (refreshAhead == 0
                || clock.monotonicTime() - e.writtenNanos() < (long) (e.ttlNanos() * refreshAhead)) {
            return;
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        if (inFlight.putIfAbsent(key, mine) != null) {
            return;
        }
        long gen = generation(key);
        try {
            executor.execute(() -> {
                try {
                    byte[] raw = remote == null ? RemoteGuard.FAILED : remote.get(namespace + key);
                    byte[] epoch = raw == RemoteGuard.FAILED ? RemoteGuard.FAILED
                            : Objects.requireNonNull(remote).get(epochKey);
                    boolean writeL2 = epoch != RemoteGuard.FAILED;
                    mine.complete(loadAndStore(key, loader, gen, writeL2, writeL2 ? raw : null,
                            writeL2 ? epoch : null, ttl));
                } catch (RuntimeException ex) {
                    mine.completeExceptionally(ex);
                    log.warn("refresh-ahead of a key of cache " + name + " failed; the entry expires normally", ex);
                } finally {
                    inFlight.remove(key, mine);
                }
            });
        } catch (RejectedExecutionException ex) {
            inFlight.remove(key, mine);
            mine.complete(e.value());
        }
    }

    @Override
    public Map<String, V> getAll(Collection<String> keys,
                                 Function<? super Set<String>, ? extends Map<String, ? extends V>> loader) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(loader, "loader");
        Set<String> wanted = new LinkedHashSet<>(keys);
        wanted.forEach(this::validate);
        Map<String, V> result = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String k : wanted) {
            L1Entry e = readL1Validated(k);
            if (e == null) {
                missing.add(k);
            } else if (e.value() != ABSENT) {
                result.put(k, unwrap(e.value()));
            }
        }
        if (missing.isEmpty()) {
            return result;
        }
        long[] gens = new long[missing.size()];
        for (int i = 0; i < gens.length; i++) {
            gens[i] = generation(missing.get(i));
        }
        Set<String> toLoad = new LinkedHashSet<>();
        List<byte @Nullable []> fromL2 = null;
        if (remote != null) {
            List<String> full = new ArrayList<>(missing.size());
            missing.forEach(k -> full.add(namespace + k));
            fromL2 = remote.getAll(full);
        }
        byte[][] observed = new byte[missing.size()][];
        for (int i = 0; i < missing.size(); i++) {
            String k = missing.get(i);
            Object v = MISSING;
            if (fromL2 != null && i < fromL2.size()) {
                byte[] raw = fromL2.get(i);
                v = decodeL2(k, raw);
                observed[i] = isTombstone(raw) ? raw : null;
            } else if (remote != null) {
                l2Misses.increment();
            }
            if (v == MISSING) {
                toLoad.add(k);
            } else {
                storeL1(k, v, gens[i], null);
                if (v != ABSENT) {
                    result.put(k, unwrap(v));
                }
            }
        }
        if (toLoad.isEmpty()) {
            return result;
        }
        byte[] epoch = null;
        boolean writeL2 = fromL2 != null;
        if (writeL2) {
            epoch = Objects.requireNonNull(remote).get(epochKey);
            writeL2 = epoch != RemoteGuard.FAILED;
        }
        long start = clock.monotonicTime();
        Map<String, ? extends V> loaded;
        try {
            loaded = Objects.requireNonNull(loader.apply(Set.copyOf(toLoad)), "loader result");
        } catch (RuntimeException | Error t) {
            loadFailure.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
            throw t;
        }
        loadSuccess.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < missing.size(); i++) {
            String k = missing.get(i);
            if (!toLoad.contains(k)) {
                continue;
            }
            V v = loaded.get(k);
            Object value = v != null ? v : ABSENT;
            if (v != null || config.cacheNulls()) {
                if (!writeL2) {
                    storeL1(k, value, gens[i], null);
                } else if (storeBoth(k, value, gens[i], true, observed[i], null)) {
                    written.add(k);
                }
            }
            if (v != null) {
                result.put(k, v);
            }
        }
        if (!written.isEmpty() && epochChanged(epoch)) {
            written.forEach(this::tombstone);
        }
        return result;
    }

    @Override
    public void put(String key, V value) {
        putInternal(key, value, null);
    }

    @Override
    public void put(String key, V value, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        putInternal(key, value, ttl);
    }

    private void putInternal(String key, V value, @Nullable Duration ttl) {
        validate(key);
        Objects.requireNonNull(value, "value");
        puts.increment();
        storeBoth(key, value, generation(key), false, null, ttl);
        // Other nodes may hold the previous value in their L1.
        bus.publish(name, InvalidationBus.KEY, key);
    }

    @Override
    public void evict(String key) {
        validate(key);
        invalidatedKey.increment();
        // L2 first: a local read that misses L1 after the local eviction must not find the old L2 value.
        if (remote != null) {
            tombstone(key);
        }
        evictLocal(key);
        bus.publish(name, InvalidationBus.KEY, key);
    }

    @Override
    public long invalidatePattern(String pattern) {
        return invalidatePatterns(List.of(pattern));
    }

    @Override
    public long invalidatePatterns(Collection<String> patterns) {
        Objects.requireNonNull(patterns, "patterns");
        List<String> checked = new ArrayList<>(patterns.size());
        for (String p : patterns) {
            checked.add(CacheKeys.validatePattern(p));
        }
        long removed = 0;
        for (String p : checked) {
            invalidatedPattern.increment();
            if (remote != null) {
                // Before the SCAN: a load on any node that read the old epoch will not keep its write.
                newEpoch();
                removed += Math.max(0, remote.deleteMatching(patternNamespace + p));
            }
            invalidateLocal(p);
            bus.publish(name, InvalidationBus.PATTERN, p);
        }
        return removed;
    }

    @Override
    public void invalidateAll() {
        invalidatedAll.increment();
        if (remote != null) {
            newEpoch();
            remote.deleteMatching(patternNamespace + "*");
        }
        clearLocal();
        bus.publish(name, InvalidationBus.ALL, "");
    }

    @Override
    public CacheStats stats() {
        return new CacheStats(l1Hits.sum(), l1Misses.sum(), l2Hits.sum(), l2Misses.sum(), loadSuccess.count() + loadFailure.count(), loadFailure.count(),
                l1 == null ? 0 : l1.estimatedSize());
    }

    /** @return whether this cache uses a remote level */
    public boolean hasRemote() {
        return remote != null;
    }

    // ---- invalidations received from other nodes

    /**
     * Applies an invalidation received on the channel.
     *
     * @param kind {@link InvalidationBus#KEY}, {@link InvalidationBus#PATTERN} or {@link InvalidationBus#ALL}
     * @param arg the key or pattern
     * @throws IllegalArgumentException if the message is malformed
     */
    void applyRemote(String kind, String arg) {
        switch (kind) {
            case InvalidationBus.KEY -> evictLocal(CacheKeys.validateKey(arg, config.maxKeyLength()));
            case InvalidationBus.PATTERN -> invalidateLocal(CacheKeys.validatePattern(arg));
            case InvalidationBus.ALL -> {
                if (!arg.isEmpty()) {
                    throw new IllegalArgumentException("ALL takes no argument");
                }
                clearLocal();
            }
            default -> throw new IllegalArgumentException("unknown invalidation kind " + kind);
        }
        invalidatedRemote.increment();
    }

    /** Drops every L1 entry and makes in-flight loads discard their result. */
    void clearLocal() {
        global.incrementAndGet();
        if (l1 != null) {
            l1.invalidateAll();
        }
        inFlight.clear();
    }

    private void evictLocal(String key) {
        if (l1 != null) {
            // Bumping inside compute serializes with storeL1's check for the same key.
            l1.asMap().compute(key, (k, old) -> {
                stripes.incrementAndGet(stripe(k));
                return null;
            });
        } else {
            stripes.incrementAndGet(stripe(key));
        }
        // Callers arriving from now on must not join a load that started before the invalidation.
        inFlight.remove(key);
    }

    private void invalidateLocal(String pattern) {
        global.incrementAndGet();
        if (l1 != null) {
            l1.asMap().keySet().removeIf(k -> GlobMatcher.matches(pattern, k));
        }
        inFlight.keySet().removeIf(k -> GlobMatcher.matches(pattern, k));
    }

    // ---- levels

    /**
     * The L1 lookup of {@code get}/{@code getIfPresent}; validates the key only on a miss: every key
     * in L1 was validated when it was stored, so a hit proves the key valid and costs no scan.
     */
    private @Nullable L1Entry readL1(String key) {
        if (l1 == null) {
            validate(key);
            return null;
        }
        L1Entry e = l1.getIfPresent(Objects.requireNonNull(key, "key"));
        if (e != null && (e.ttlNanos() >= l1TtlNanos || !expired(e))) {
            l1Hits.increment();
            return e;
        }
        validate(key);
        if (e != null) {
            expire(key, e);
        }
        l1Misses.increment();
        return null;
    }

    /** As {@link #readL1} for a key already validated. */
    private @Nullable L1Entry readL1Validated(String key) {
        if (l1 == null) {
            return null;
        }
        L1Entry e = live(key, l1.getIfPresent(key));
        (e == null ? l1Misses : l1Hits).increment();
        return e;
    }

    /** @return {@code e}, or null if it is a short-lived entry past its own deadline (then dropped) */
    private @Nullable L1Entry live(String key, @Nullable L1Entry e) {
        if (e == null || e.ttlNanos() >= l1TtlNanos || !expired(e)) {
            return e;
        }
        expire(key, e);
        return null;
    }

    private boolean expired(L1Entry e) {
        return clock.monotonicTime() - e.writtenNanos() >= e.ttlNanos();
    }

    private void expire(String key, L1Entry e) {
        if (Objects.requireNonNull(l1).asMap().remove(key, e)) {
            evictedExpired.increment();
        }
    }

    private Object readL2(String key) {
        RemoteGuard r = Objects.requireNonNull(remote);
        byte[] bytes = r.get(namespace + key);
        if (bytes == RemoteGuard.FAILED) {
            l2Misses.increment();
            return UNREACHABLE;
        }
        return decodeL2(key, bytes);
    }

    private Object decodeL2(String key, byte @Nullable [] bytes) {
        if (bytes == null) {
            l2Misses.increment();
            return MISSING;
        }
        try {
            Object v;
            if (bytes.length == 1 && bytes[0] == HEADER_ABSENT) {
                v = ABSENT;
            } else if (isTombstone(bytes)) {
                // Recently invalidated: a miss, not a decoding problem.
                l2Misses.increment();
                return MISSING;
            } else if (bytes.length > 1 && bytes[0] == HEADER_VALUE) {
                v = Objects.requireNonNull(codec).decode(Arrays.copyOfRange(bytes, 1, bytes.length));
            } else {
                throw new CodecException("unknown L2 payload header");
            }
            l2Hits.increment();
            return v;
        } catch (RuntimeException e) {
            // CodecException, or anything a user codec throws: never the caller's problem.
            codecErrors.increment();
            l2Misses.increment();
            log.warn("undecodable L2 value in cache " + name + " treated as a miss and deleted", e);
            Objects.requireNonNull(remote).delete(namespace + key);
            return MISSING;
        }
    }

    /** Replaces this cache's pattern-invalidation epoch with a fresh random token. */
    private void newEpoch() {
        byte[] token = new byte[16];
        ThreadLocalRandom.current().nextBytes(token);
        Objects.requireNonNull(remote).set(epochKey, token, EPOCH_TTL);
    }

    /** @return whether the epoch read before a load has changed since (or cannot be read now) */
    private boolean epochChanged(byte @Nullable [] before) {
        byte[] now = Objects.requireNonNull(remote).get(epochKey);
        return now == RemoteGuard.FAILED || !Arrays.equals(now, before);
    }

    /** Replaces the key's L2 value with an invalidation marker (loads that observed the old value cannot write). */
    private void tombstone(String key) {
        Objects.requireNonNull(remote).set(namespace + key, tombstone(), markerTtl);
    }

    private static byte[] tombstone() {
        byte[] t = new byte[17];
        ThreadLocalRandom.current().nextBytes(t);
        t[0] = HEADER_TOMBSTONE;
        return t;
    }

    /**
     * Stores in L1 (if no local invalidation happened since {@code gen}) and L2: unconditionally for
     * puts, or only if L2 still holds what the load observed ({@code conditional}).
     *
     * @return whether the value was written to L2 and left there
     */
    private boolean storeBoth(String key, Object value, long gen, boolean conditional, byte @Nullable [] observed,
                              @Nullable Duration ttl) {
        storeL1(key, value, gen, ttl);
        if (remote == null) {
            return false;
        }
        byte[] payload;
        if (value == ABSENT) {
            payload = new byte[] {HEADER_ABSENT};
        } else {
            @SuppressWarnings("unchecked")
            V v = (V) value;
            try {
                byte[] encoded = Objects.requireNonNull(codec).encode(v);
                payload = new byte[encoded.length + 1];
                payload[0] = HEADER_VALUE;
                System.arraycopy(encoded, 0, payload, 1, encoded.length);
            } catch (RuntimeException e) {
                codecErrors.increment();
                log.warn("value of cache " + name + " could not be encoded; kept in L1 only", e);
                return false;
            }
        }
        if (generation(key) != gen) {
            return false;
        }
        String full = namespace + key;
        boolean written = conditional
                ? remote.setIfUnchanged(full, payload, l2Ttl(value, ttl), observed)
                : remote.set(full, payload, l2Ttl(value, ttl));
        if (written && generation(key) != gen) {
            // An invalidation raced the write: do not let the stale value survive in L2.
            tombstone(key);
            return false;
        }
        return written;
    }

    private void storeL1(String key, Object value, long gen, @Nullable Duration override) {
        if (l1 == null) {
            return;
        }
        long ttl = l1TtlNanos(value, override);
        l1.asMap().compute(key, (k, old) -> generation(k) == gen
                ? new L1Entry(value, ttl, clock.monotonicTime()) : old);
    }

    private long l1TtlNanos(Object value, @Nullable Duration override) {
        Duration ttl = override != null && override.compareTo(config.l1Ttl()) < 0 ? override : config.l1Ttl();
        if (value == ABSENT && config.nullTtl().compareTo(ttl) < 0) {
            ttl = config.nullTtl();
        }
        if (remote != null && remote.degraded() && config.degradedL1Ttl().compareTo(ttl) < 0) {
            ttl = config.degradedL1Ttl();
        }
        return ttl.toNanos();
    }

    private Duration l2Ttl(Object value, @Nullable Duration override) {
        Duration ttl = override != null ? override : config.l2Ttl();
        if (value == ABSENT && config.nullTtl().compareTo(ttl) < 0) {
            ttl = config.nullTtl();
        }
        long millis = Math.max(1, ttl.toMillis());
        long jitter = (long) (millis * config.l2TtlJitter());
        return Duration.ofMillis(millis + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0));
    }

    private long generation(String key) {
        // Both parts only grow, so the sum changes whenever either does.
        return global.get() + stripes.get(stripe(key));
    }

    private static int stripe(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    private void validate(String key) {
        CacheKeys.validateKey(key, config.maxKeyLength());
    }

    @SuppressWarnings("unchecked")
    private @Nullable V unwrap(Object value) {
        return value == ABSENT ? null : (V) value;
    }
}
