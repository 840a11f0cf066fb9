package io.github.perfkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.spring.internal.PerfkitSpringCacheManager;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code @Cacheable}/{@code @CacheEvict} through Spring's cache manager backed by Perfkit's caches. */
class SpringCacheTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PerfkitAutoConfiguration.class,
                    PerfkitCacheAutoConfiguration.class))
            .withPropertyValues("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false");

    @Test
    void cacheableAndCacheEvictGoThroughPerfkitsCaches() {
        runner.withUserConfiguration(CachingConfig.class).run(context -> {
            assertThat(context.getBean(org.springframework.cache.CacheManager.class))
                    .isInstanceOf(PerfkitSpringCacheManager.class);
            Lookups lookups = context.getBean(Lookups.class);
            assertThat(lookups.find("a")).isEqualTo("A1");
            assertThat(lookups.find("a")).isEqualTo("A1");
            assertThat(lookups.find("nothing")).isNull();
            assertThat(lookups.find("nothing")).isNull();
            assertThat(lookups.loads()).isEqualTo(2);
            CacheManager perfkit = context.getBean(CacheManager.class);
            assertThat(perfkit.names()).contains("users_by-name");
            assertThat(perfkit.get("users_by-name").orElseThrow().stats().l1Hits()).isEqualTo(2);
            lookups.forget("a");
            assertThat(lookups.find("a")).isEqualTo("A3");
        });
    }

    @Test
    void backsOffForTheUsersSpringCacheManagerAndCanBeSwitchedOff() {
        runner.withUserConfiguration(CachingConfig.class, UserSpringCache.class).run(context ->
                assertThat(context.getBean(org.springframework.cache.CacheManager.class))
                        .isInstanceOf(ConcurrentMapCacheManager.class));
        runner.withPropertyValues("perfkit.cache.spring.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(CacheManager.class)
                        .doesNotHaveBean(org.springframework.cache.CacheManager.class));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class CachingConfig {
        @Bean
        Lookups lookups() {
            return new Lookups();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserSpringCache {
        @Bean
        org.springframework.cache.CacheManager cacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    /** A bean with cached lookups. */
    public static class Lookups {
        private final AtomicInteger loads = new AtomicInteger();

        /** @return how many times a value was computed */
        public int loads() {
            return loads.get();
        }

        /**
         * @param name a name
         * @return its value, or null for "nothing"
         */
        @Cacheable("Users By-Name")
        public String find(String name) {
            int n = loads.incrementAndGet();
            return name.equals("nothing") ? null : name.toUpperCase(java.util.Locale.ROOT) + n;
        }

        /** @param name the name to forget */
        @CacheEvict("Users By-Name")
        public void forget(String name) {
            // evicted by the annotation
        }
    }
}
