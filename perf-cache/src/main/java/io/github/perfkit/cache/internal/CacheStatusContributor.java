package io.github.perfkit.cache.internal;

import io.github.perfkit.cache.CacheStats;
import io.github.perfkit.cache.MultilevelCache;
import io.github.perfkit.core.spi.StatusContributor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cache} status section: hit ratio per level, size and L2 breaker state per cache. Serves
 * in-memory counters only; thread-safe.
 */
public final class CacheStatusContributor implements StatusContributor {

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
}
