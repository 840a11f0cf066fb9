package io.github.perfkit.spring;

import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.cache.redis.RedisTls;
import io.github.perfkit.core.Perf;
import io.github.perfkit.spring.internal.PerfkitSpringCacheManager;
import io.github.perfkit.spring.internal.RedisSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Creates Perfkit's multilevel {@link CacheManager} (not Spring's): L1 only by default, with a Redis tier when
 * {@code perfkit.cache.redis.url} is set (Lettuce must be on the classpath) or, when it is not, when Spring Data
 * Redis's connection ({@code spring.data.redis.*} or its connection details bean) is configured (see
 * {@code perfkit.cache.redis.reuse-spring-data}). Its {@code cache} status section
 * is registered on the hub. Switched off with {@code perfkit.cache.enabled=false}; backs off when the
 * application defines its own Perfkit {@link CacheManager}.
 *
 * <p>Spring's caching: unless the application defines its own Spring
 * {@link org.springframework.cache.CacheManager} (or sets {@code perfkit.cache.spring.enabled=false}), a Spring
 * cache manager over Perfkit's caches is defined, so {@code @Cacheable}/{@code @CacheEvict} (with
 * {@code @EnableCaching}) go through Perfkit's caches: L1, plus Redis when there is a Redis tier, for the value
 * classes listed in {@code perfkit.cache.spring.value-types} and common JDK value types.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitAutoConfiguration.class,
        beforeName = "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration")
@ConditionalOnClass(CacheManager.class)
@ConditionalOnBean(Perf.class)
@ConditionalOnProperty(prefix = "perfkit.cache", name = "enabled", havingValue = "true", matchIfMissing = true)
public class PerfkitCacheAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PerfkitCacheAutoConfiguration.class);
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
     * @param environment the environment ({@code spring.data.redis.*})
     * @param beans the bean factory (Spring Data Redis's connection details, when it is in use)
     * @return the manager, closed at shutdown
     * @throws IllegalStateException if a Redis URL is set but Lettuce is not on the classpath
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public CacheManager perfCacheManager(Perf perf, PerfkitProperties properties, Environment environment,
                                         ListableBeanFactory beans) {
        PerfkitProperties.Cache cache = properties.getCache();
        CacheManager.Builder builder = CacheManager.builder().perf(perf).keyPrefix(cache.getKeyPrefix());
        RedisSettings.Resolved redis = RedisSettings.resolve(cache.getRedis(), environment, beans);
        if (redis != null) {
            boolean explicit = cache.getRedis().getUrl() != null;
            if (!ClassUtils.isPresent(LETTUCE, PerfkitCacheAutoConfiguration.class.getClassLoader())) {
                if (explicit) {
                    throw new IllegalStateException(
                            "perfkit.cache.redis.url is set but io.lettuce:lettuce-core is not on the classpath");
                }
                LOG.info("Perfkit: Redis is configured ({}) but Lettuce is not on the classpath; the cache stays "
                        + "L1-only", redis.source());
            } else {
                RedisTierConfig.Builder tier = RedisTierConfig.builder()
                        .uri(redis.uri())
                        .cluster(redis.cluster())
                        .commandTimeout(cache.getRedis().getCommandTimeout());
                if (redis.connectTimeout() != null) {
                    tier.connectTimeout(redis.connectTimeout());
                }
                if (redis.sentinelPassword() != null) {
                    tier.sentinelCredentials(redis.sentinelUsername(), redis.sentinelPassword().toCharArray());
                }
                SslBundle bundle = sslBundle(redis, beans);
                if (bundle != null) {
                    tier.tls(tls(bundle));
                }
                RedisTierConfig config;
                try {
                    config = tier.build();
                } catch (IllegalArgumentException e) {
                    String message = String.valueOf(e.getMessage());
                    String property = !explicit ? "spring.data.redis.*"
                            : message.startsWith("tls:") ? "perfkit.cache.redis.ssl-bundle"
                            : message.startsWith("sentinelCredentials:") ? "perfkit.cache.redis.sentinel-password"
                            : "perfkit.cache.redis.url";
                    throw new IllegalArgumentException(property + ": "
                            + message.replace(redis.uri(), RedisSettings.redacted(redis.uri())), e);
                }
                LOG.info("Perfkit: cache Redis tier at {} (from {}{})", RedisSettings.redacted(redis.uri()),
                        redis.source(), bundle == null ? "" : ", TLS with "
                                + (redis.sslBundleName() != null ? "SSL bundle '" + redis.sslBundleName() + "'"
                                : "the connection details' SSL bundle"));
                builder.remoteTier(RedisTier.create(config));
            }
        }
        return builder.build();
    }

    /** The SSL bundle of Spring Data Redis's connection: carried by its connection details, or named. */
    private static @Nullable SslBundle sslBundle(RedisSettings.Resolved redis, ListableBeanFactory beans) {
        if (redis.sslBundle() != null) {
            return redis.sslBundle();
        }
        String name = redis.sslBundleName();
        if (name == null) {
            return null;
        }
        String property = redis.source().startsWith("perfkit.") ? "perfkit.cache.redis.ssl-bundle"
                : "spring.data.redis.ssl.bundle";
        SslBundles bundles = beans.getBeanProvider(SslBundles.class).getIfAvailable();
        if (bundles == null) {
            throw new IllegalStateException(property + ": '" + name + "' is set but the application has no "
                    + "SslBundles bean (spring.ssl.bundle.*)");
        }
        try {
            return bundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw new IllegalArgumentException(property + ": no SSL bundle named '" + name
                    + "' (define it under spring.ssl.bundle.pem or spring.ssl.bundle.jks)", e);
        }
    }

    /**
     * The tier's TLS options from an SSL bundle, as Spring Data Redis uses it: its trust managers, its key
     * managers when the bundle has a key store (mutual TLS), its enabled protocols and ciphers; full peer
     * verification.
     *
     * @param bundle the bundle
     * @return the TLS options
     */
    static RedisTls tls(SslBundle bundle) {
        RedisTls.Builder tls = RedisTls.builder()
                .trustManagerFactory(bundle.getManagers().getTrustManagerFactory());
        if (bundle.getStores().getKeyStore() != null) {
            tls.keyManagerFactory(bundle.getManagers().getKeyManagerFactory());
        }
        String[] protocols = bundle.getOptions().getEnabledProtocols();
        if (protocols != null) {
            tls.protocols(java.util.List.of(protocols));
        }
        String[] ciphers = bundle.getOptions().getCiphers();
        if (ciphers != null) {
            tls.cipherSuites(java.util.List.of(ciphers));
        }
        return tls.build();
    }

    /**
     * Spring's cache manager backed by Perfkit's ({@code perfkit.cache.spring.enabled}, default true). With a
     * Redis tier, Spring caches are L1 + Redis for the values of {@code perfkit.cache.spring.value-types} (and
     * String, Long, Integer, Double, Boolean), as JSON.
     *
     * @param manager Perfkit's cache manager
     * @param properties Perfkit's properties
     * @param context the application context (for its class loader)
     * @return Spring's cache manager
     * @throws IllegalArgumentException naming {@code perfkit.cache.spring.value-types} for a class that cannot be
     *         loaded or is not concrete
     */
    @Bean
    @ConditionalOnBean(CacheManager.class)
    @ConditionalOnMissingBean(org.springframework.cache.CacheManager.class)
    @ConditionalOnProperty(prefix = "perfkit.cache.spring", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    public org.springframework.cache.CacheManager cacheManager(CacheManager manager, PerfkitProperties properties,
                                                               ApplicationContext context) {
        ClassLoader loader = context.getClassLoader() != null ? context.getClassLoader()
                : PerfkitCacheAutoConfiguration.class.getClassLoader();
        return new PerfkitSpringCacheManager(manager,
                PerfkitSpringCacheManager.valueTypes(properties.getCache().getSpring().getValueTypes(), loader));
    }
}
