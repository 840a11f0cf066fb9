package io.github.perfkit.spring;

import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.core.Perf;
import io.github.perfkit.spring.internal.PerfkitSpringCacheManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Creates Perfkit's multilevel {@link CacheManager} (not Spring's): L1 only by default, with a Redis tier when
 * {@code perfkit.cache.redis.url} is set (Lettuce must be on the classpath). Its {@code cache} status section
 * is registered on the hub. Switched off with {@code perfkit.cache.enabled=false}; backs off when the
 * application defines its own Perfkit {@link CacheManager}.
 *
 * <p>Spring's caching: unless the application defines its own Spring
 * {@link org.springframework.cache.CacheManager} (or sets {@code perfkit.cache.spring.enabled=false}), a Spring
 * cache manager over Perfkit's caches is defined, so {@code @Cacheable}/{@code @CacheEvict} (with
 * {@code @EnableCaching}) go through Perfkit's L1 caches.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitAutoConfiguration.class,
        beforeName = "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration")
@ConditionalOnClass(CacheManager.class)
@ConditionalOnBean(Perf.class)
@ConditionalOnProperty(prefix = "perfkit.cache", name = "enabled", havingValue = "true", matchIfMissing = true)
public class PerfkitCacheAutoConfiguration {

    private static final String LETTUCE = "io.lettuce.core.RedisClient";

    /** Creates the configuration; called by Spring. */
    public PerfkitCacheAutoConfiguration() {
        // configuration class
    }

    /**
     * Perfkit's cache manager.
     *
     * @param perf the hub
     * @param properties Perfkit's properties
     * @return the manager, closed at shutdown
     * @throws IllegalStateException if a Redis URL is set but Lettuce is not on the classpath
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public CacheManager perfCacheManager(Perf perf, PerfkitProperties properties) {
        PerfkitProperties.Cache cache = properties.getCache();
        CacheManager.Builder builder = CacheManager.builder().perf(perf).keyPrefix(cache.getKeyPrefix());
        String url = cache.getRedis().getUrl();
        if (url != null) {
            if (!ClassUtils.isPresent(LETTUCE, PerfkitCacheAutoConfiguration.class.getClassLoader())) {
                throw new IllegalStateException(
                        "perfkit.cache.redis.url is set but io.lettuce:lettuce-core is not on the classpath");
            }
            builder.remoteTier(RedisTier.create(RedisTierConfig.builder()
                    .uri(url)
                    .commandTimeout(cache.getRedis().getCommandTimeout())
                    .build()));
        }
        return builder.build();
    }

    /**
     * Spring's cache manager backed by Perfkit's ({@code perfkit.cache.spring.enabled}, default true).
     *
     * @param manager Perfkit's cache manager
     * @return Spring's cache manager
     */
    @Bean
    @ConditionalOnBean(CacheManager.class)
    @ConditionalOnMissingBean(org.springframework.cache.CacheManager.class)
    @ConditionalOnProperty(prefix = "perfkit.cache.spring", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    public org.springframework.cache.CacheManager cacheManager(CacheManager manager) {
        return new PerfkitSpringCacheManager(manager);
    }
}
