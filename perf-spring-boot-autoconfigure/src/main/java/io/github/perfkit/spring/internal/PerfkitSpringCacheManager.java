package io.github.perfkit.spring.internal;

import io.github.perfkit.cache.CacheConfig;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.MultilevelCache;
import io.github.perfkit.cache.codec.Codec;
import io.github.perfkit.cache.codec.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;
import org.springframework.util.ClassUtils;

/**
 * Spring's {@link org.springframework.cache.CacheManager} backed by Perfkit's {@link CacheManager}, so
 * {@code @Cacheable}/{@code @CacheEvict} use Perfkit's caches (with their metrics and status). Caches are
 * created on first use with the default {@link CacheConfig}; null values are cached. With a Redis tier they are
 * L1 + Redis for allowlisted value classes (JSON, never Java serialization); without one, L1 only. Spring cache names are lowercased and characters
 * Perfkit does not allow in a name become {@code _}; keys are {@code String.valueOf(key)}, hashed (SHA-256)
 * when longer than 256 characters or holding control characters. At most as many caches as the Perfkit
 * manager allows: beyond that {@link #getCache(String)} answers null (Spring then reports the missing cache).
 *
 * <p>Thread-safe.
 */
public final class PerfkitSpringCacheManager implements org.springframework.cache.CacheManager {

    private static final Logger LOG = LoggerFactory.getLogger(PerfkitSpringCacheManager.class);
    private static final int MAX_PLAIN_KEY = 256;

    /** Value classes Spring caches may always store in Redis. */
    public static final List<Class<?>> JDK_VALUE_TYPES =
            List.of(String.class, Long.class, Integer.class, Double.class, Boolean.class);

    private final CacheManager manager;
    private final @Nullable Codec<Object> codec;
    private final ConcurrentMap<String, Cache> caches = new ConcurrentHashMap<>();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    /**
     * An L1-only adapter over Perfkit's manager.
     *
     * @param manager Perfkit's cache manager
     */
    public PerfkitSpringCacheManager(CacheManager manager) {
        this(manager, List.of());
    }

    /**
     * An adapter over Perfkit's manager; when the manager has a remote tier, values of the given classes (and of
     * {@link #JDK_VALUE_TYPES}) also go to Redis as JSON, other values stay in L1.
     *
     * @param manager Perfkit's cache manager
     * @param valueTypes value classes allowed in Redis besides the JDK ones
     * @throws IllegalArgumentException if a class is not concrete
     */
    public PerfkitSpringCacheManager(CacheManager manager, List<Class<?>> valueTypes) {
        this.manager = Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(valueTypes, "valueTypes");
        if (manager.hasRemoteTier()) {
            Set<Class<?>> types = new LinkedHashSet<>(JDK_VALUE_TYPES);
            types.addAll(valueTypes);
            List<Class<? extends Object>> allowed = new ArrayList<>(types);
            this.codec = new SpringValueCodec(JsonCodec.of(Object.class, allowed));
        } else {
            this.codec = null;
        }
    }

    /**
     * Loads the classes named by {@code perfkit.cache.spring.value-types}.
     *
     * @param names fully qualified class names
     * @param loader the class loader
     * @return the classes
     * @throws IllegalArgumentException naming the property for a class that cannot be loaded or is not concrete
     */
    public static List<Class<?>> valueTypes(List<String> names, ClassLoader loader) {
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            Class<?> type;
            try {
                type = ClassUtils.forName(name, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException("perfkit.cache.spring.value-types: class '" + name
                        + "' cannot be loaded", e);
            }
            if (type.isInterface() || type.isArray() || type.isPrimitive()
                    || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
                throw new IllegalArgumentException("perfkit.cache.spring.value-types: '" + name
                        + "' must be a concrete class");
            }
            types.add(type);
        }
        return types;
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
            Codec<Object> c = codec;
            MultilevelCache<Object> cache;
            if (existing.isPresent()) {
                cache = (MultilevelCache<Object>) existing.get();
            } else if (c != null) {
                cache = manager.cache(name, CacheConfig.ofDefaults(), c);
            } else {
                cache = manager.localCache(name, CacheConfig.ofDefaults());
            }
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

    /**
     * JSON for allowlisted classes, plus Spring's {@link NullValue} (cached nulls) as a single zero byte, which no
     * JSON document starts with. Thread-safe.
     */
    static final class SpringValueCodec implements Codec<Object> {
        private static final byte[] NULL = {0};
        private final JsonCodec<Object> json;

        SpringValueCodec(JsonCodec<Object> json) {
            this.json = json;
        }

        @Override
        public byte[] encode(Object value) {
            return value == NullValue.INSTANCE ? NULL.clone() : json.encode(value);
        }

        @Override
        public Object decode(byte[] bytes) {
            return bytes.length == 1 && bytes[0] == 0 ? NullValue.INSTANCE : json.decode(bytes);
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
