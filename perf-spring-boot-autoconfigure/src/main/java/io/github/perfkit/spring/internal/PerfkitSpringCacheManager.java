package io.github.perfkit.spring.internal;

import io.github.perfkit.cache.CacheConfig;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.MultilevelCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * Spring's {@link org.springframework.cache.CacheManager} backed by Perfkit's {@link CacheManager}, so
 * {@code @Cacheable}/{@code @CacheEvict} use Perfkit's caches (with their metrics and status). Caches are
 * created on first use, L1 only (Spring caches arbitrary objects; the L2 tier needs a codec per type), with
 * the default {@link CacheConfig}; null values are cached. Spring cache names are lowercased and characters
 * Perfkit does not allow in a name become {@code _}; keys are {@code String.valueOf(key)}, hashed (SHA-256)
 * when longer than 256 characters or holding control characters. At most as many caches as the Perfkit
 * manager allows: beyond that {@link #getCache(String)} answers null (Spring then reports the missing cache).
 *
 * <p>Thread-safe.
 */
public final class PerfkitSpringCacheManager implements org.springframework.cache.CacheManager {

    private static final Logger LOG = LoggerFactory.getLogger(PerfkitSpringCacheManager.class);
    private static final int MAX_PLAIN_KEY = 256;

    private final CacheManager manager;
    private final ConcurrentMap<String, Cache> caches = new ConcurrentHashMap<>();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    /**
     * An adapter over Perfkit's manager.
     *
     * @param manager Perfkit's cache manager
     */
    public PerfkitSpringCacheManager(CacheManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @Override
    public @Nullable Cache getCache(String name) {
        Objects.requireNonNull(name, "name");
        return caches.computeIfAbsent(name, this::create);
    }

    @Override
    public Collection<String> getCacheNames() {
        return List.copyOf(caches.keySet());
    }

    @SuppressWarnings("unchecked")
    private @Nullable Cache create(String springName) {
        String name = perfkitName(springName);
        try {
            Optional<MultilevelCache<?>> existing = manager.get(name);
            MultilevelCache<Object> cache = existing.isPresent()
                    ? (MultilevelCache<Object>) existing.get()
                    : manager.localCache(name, CacheConfig.ofDefaults());
            return new SpringCache(springName, cache);
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (failureLogged.compareAndSet(false, true)) {
                LOG.warn("Perfkit: cannot create the Spring cache '{}' (logged once)", springName, e);
            }
            return null;
        }
    }

    static String perfkitName(String springName) {
        String lower = springName.toLowerCase(Locale.ROOT);
        StringBuilder name = new StringBuilder(Math.min(lower.length(), 64));
        for (int i = 0; i < lower.length() && name.length() < 64; i++) {
            char c = lower.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
            name.append(ok ? c : '_');
        }
        return name.length() == 0 ? "_" : name.toString();
    }

    static String key(Object key) {
        String plain = String.valueOf(key);
        boolean control = plain.chars().anyMatch(Character::isISOControl);
        if (!plain.isEmpty() && plain.length() <= MAX_PLAIN_KEY && !control) {
            return plain;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(plain.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** One Spring cache over one Perfkit cache; thread-safe. */
    static final class SpringCache extends AbstractValueAdaptingCache {
        private final String name;
        private final MultilevelCache<Object> cache;

        SpringCache(String name, MultilevelCache<Object> cache) {
            super(true);
            this.name = name;
            this.cache = cache;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object getNativeCache() {
            return cache;
        }

        @Override
        protected @Nullable Object lookup(Object key) {
            return cache.getIfPresent(key(key));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
            Object stored = cache.get(key(key), k -> {
                try {
                    return toStoreValue(valueLoader.call());
                } catch (Exception e) {
                    throw new ValueRetrievalException(key, valueLoader, e);
                }
            });
            return (T) fromStoreValue(stored);
        }

        @Override
        public void put(Object key, @Nullable Object value) {
            cache.put(key(key), toStoreValue(value));
        }

        @Override
        public void evict(Object key) {
            cache.evict(key(key));
        }

        @Override
        public void clear() {
            cache.invalidateAll();
        }
    }
}
