package io.github.perfkit.cache.internal;

import io.github.perfkit.cache.CacheKeys;
import io.github.perfkit.cache.CacheStats;
import io.github.perfkit.cache.MultilevelCache;
import io.github.perfkit.core.spi.StatusContributor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cache} status section: hit ratio per level, size and L2 breaker state per cache (in-memory
 * counters only), and the action {@value #INVALIDATE} (params {@code cache}, {@code pattern}) so the
 * dashboard can trigger a pattern invalidation. Thread-safe.
 */
public final class CacheStatusContributor implements StatusContributor {

    /** The action that invalidates a pattern in one cache. */
    public static final String INVALIDATE = "invalidate";

    private final Supplier<Collection<MultilevelCache<?>>> caches;
    private final @Nullable RemoteGuard remote;

    /**
     * @param caches the manager's caches
     * @param remote the remote tier, or null when L1-only
     */
    public CacheStatusContributor(Supplier<Collection<MultilevelCache<?>>> caches, @Nullable RemoteGuard remote) {
        this.caches = caches;
        this.remote = remote;
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("l2", remote == null ? "none" : remote.breaker().state().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> perCache = new LinkedHashMap<>();
        for (MultilevelCache<?> c : caches.get()) {
            CacheStats s = c.stats();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("l1HitRatio", s.l1HitRatio());
            m.put("l2HitRatio", s.l2HitRatio());
            m.put("l1Size", s.l1Size());
            m.put("loads", s.loads());
            m.put("loadFailures", s.loadFailures());
            perCache.put(c.name(), m);
        }
        out.put("caches", perCache);
        return out;
    }

    @Override
    public Set<String> actions() {
        return Set.of(INVALIDATE);
    }

    /**
     * Invalidates, in the cache named by {@code cache}, every key matching {@code pattern} (glob, within
     * that cache's namespace): L2 with SCAN+UNLINK, this node's L1, and every other node's L1 through
     * the invalidation channel. Redis failures are counted, never thrown.
     *
     * @param action {@value #INVALIDATE}
     * @param params {@code cache} (a cache name) and {@code pattern}
     * @return the action, cache, pattern and the number of L2 keys removed
     * @throws UnsupportedOperationException for another action
     * @throws IllegalArgumentException if {@code cache} or {@code pattern} is missing or invalid (the message names it)
     */
    @Override
    public Map<String, Object> act(String action, Map<String, String> params) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(params, "params");
        if (!INVALIDATE.equals(action)) {
            throw new UnsupportedOperationException("section 'cache' has no action '" + shorten(action)
                    + "'; actions: " + INVALIDATE);
        }
        String cacheName = params.get("cache");
        if (cacheName == null || cacheName.isBlank()) {
            throw new IllegalArgumentException("parameter 'cache' is required: the name of the cache to invalidate in");
        }
        MultilevelCache<?> cache = null;
        for (MultilevelCache<?> c : caches.get()) {
            if (c.name().equals(cacheName)) {
                cache = c;
            }
        }
        if (cache == null) {
            throw new IllegalArgumentException("parameter 'cache': no cache named '" + shorten(cacheName) + "'");
        }
        String pattern = params.get("pattern");
        if (pattern == null) {
            throw new IllegalArgumentException("parameter 'pattern' is required, e.g. user:42:*");
        }
        try {
            CacheKeys.validatePattern(pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter 'pattern': " + e.getMessage(), e);
        }
        long removed = cache.invalidatePattern(pattern);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("action", INVALIDATE);
        out.put("cache", cache.name());
        out.put("pattern", pattern);
        out.put("l2KeysRemoved", removed);
        return out;
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
