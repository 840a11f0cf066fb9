package io.github.perfkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.annotation.CacheInvalidate;
import io.github.perfkit.cache.annotation.Cached;
import io.github.perfkit.spring.internal.PerfCachingAspect;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Perfkit's {@code @Cached}/{@code @CacheInvalidate} on a Spring bean, without any declaration by the app. */
class CachingAspectTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PerfkitAutoConfiguration.class,
                    PerfkitCacheAutoConfiguration.class, PerfkitCachingAspectAutoConfiguration.class))
            .withUserConfiguration(PricesConfig.class)
            .withPropertyValues("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false");

    @Test
    void cachedReadsThroughAndInvalidateEvicts() {
        runner.run(context -> {
            Prices prices = context.getBean(Prices.class);
            assertThat(prices.price("tea")).isEqualTo("tea@1");
            assertThat(prices.price("tea")).isEqualTo("tea@1");
            assertThat(prices.calls()).isEqualTo(1);
            assertThat(context.getBean(CacheManager.class).names()).contains("prices");
            prices.update("tea");
            assertThat(prices.price("tea")).isEqualTo("tea@2");
            assertThatThrownBy(() -> prices.failing("x")).isInstanceOf(IOException.class).hasMessage("boom x");
            assertThat(context.getBean(PerfCachingAspect.class).failures()).isZero();
        });
    }

    @Test
    void invalidationHappensOnlyAfterTheMethodReturnsNormally() {
        runner.run(context -> {
            Prices prices = context.getBean(Prices.class);
            assertThat(prices.price("tea")).isEqualTo("tea@1");
            // The method throws: the exception propagates unchanged and the entry stays (no invalidation).
            assertThatThrownBy(() -> prices.updateFailing("tea")).isInstanceOf(IOException.class)
                    .hasMessage("update failed tea");
            assertThat(prices.price("tea")).isEqualTo("tea@1");
            // It returns normally: the entry is gone, the next read computes again.
            prices.update("tea");
            assertThat(prices.price("tea")).isEqualTo("tea@2");
            assertThat(context.getBean(PerfCachingAspect.class).failures()).isZero();
        });
    }

    @Test
    void switchedOffOrWithoutAspectJ() {
        runner.withPropertyValues("perfkit.cache.annotations.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(PerfCachingAspect.class);
            Prices prices = context.getBean(Prices.class);
            prices.price("a");
            prices.price("a");
            assertThat(prices.calls()).isEqualTo(2);
        });
        runner.withClassLoader(new FilteredClassLoader(org.aspectj.lang.annotation.Aspect.class)).run(context ->
                assertThat(context).hasSingleBean(CacheManager.class).doesNotHaveBean(PerfCachingAspect.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class PricesConfig {
        @Bean
        Prices prices() {
            return new Prices();
        }
    }

    /** A bean using Perfkit's caching annotations. */
    public static class Prices {
        private final AtomicInteger calls = new AtomicInteger();

        /** @return how many times a price was computed */
        public int calls() {
            return calls.get();
        }

        /**
         * @param item an item
         * @return its price
         */
        @Cached(cache = "prices", key = "price:#0", ttl = "5m")
        public String price(String item) {
            return item + "@" + calls.incrementAndGet();
        }

        /** @param item the item whose price changed */
        @CacheInvalidate(cache = "prices", key = "price:#0")
        public void update(String item) {
            // evicted by the annotation
        }

        /**
         * @param item the item whose price update fails
         * @throws IOException always
         */
        @CacheInvalidate(cache = "prices", key = "price:#0")
        public void updateFailing(String item) throws IOException {
            throw new IOException("update failed " + item);
        }

        /**
         * @param item an item
         * @return never
         * @throws IOException always
         */
        @Cached(cache = "prices", key = "fail:#0")
        public String failing(String item) throws IOException {
            throw new IOException("boom " + item);
        }
    }
}
