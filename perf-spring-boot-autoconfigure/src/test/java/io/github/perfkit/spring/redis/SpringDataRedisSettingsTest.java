package io.github.perfkit.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.spring.support.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of a real application against a real redis-server that needs a password, configured only with
 * Spring Data Redis's properties ({@code spring.data.redis.host/port/password/database/timeout}): Perfkit's cache
 * reuses them, and {@code @Cacheable} goes L1 + Redis — the second instance gets the first one's values from Redis
 * without loading them.
 */
class SpringDataRedisSettingsTest {

    private static final String PASSWORD = "p@ss:w/rd 1";
    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start("--requirepass", PASSWORD);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    private static ConfigurableApplicationContext node() {
        return new SpringApplicationBuilder(RedisApp.class)
                .properties("spring.main.web-application-type=none", "spring.main.banner-mode=off",
                        "spring.jmx.enabled=false", "perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false",
                        "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                        "spring.data.redis.password=" + PASSWORD, "spring.data.redis.database=2",
                        "spring.data.redis.timeout=2s",
                        "perfkit.cache.spring.value-types=io.github.perfkit.spring.redis.RedisApp.Product")
                .logStartupInfo(false)
                .run();
    }

    @Test
    void cacheableValuesGoToRedisAndAreReadByAnotherInstance() {
        RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(redis.port())
                .withPassword(PASSWORD.toCharArray()).withDatabase(2).build();
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> raw = client.connect();
             ConfigurableApplicationContext first = node()) {
            assertThat(first.getBean(CacheManager.class).hasRemoteTier()).isTrue();
            RedisApp.Catalog catalog = first.getBean(RedisApp.Catalog.class);
            // The tier connects in the background (the app starts even with Redis down): until then values stay
            // in L1. Wait until a value reaches Redis.
            AtomicInteger warm = new AtomicInteger();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                catalog.price("warm-" + warm.incrementAndGet());
                return !raw.sync().keys("*prices*warm-*").isEmpty();
            });
            int warmLoads = catalog.priceLoads();
            assertThat(catalog.price("a1")).isEqualTo("price of a1");
            assertThat(catalog.price("a1")).isEqualTo("price of a1");
            assertThat(catalog.product("p1")).isEqualTo(new RedisApp.Product("p1", "product p1", 1234));
            assertThat(catalog.priceLoads()).isEqualTo(warmLoads + 1);
            assertThat(catalog.productLoads()).isEqualTo(1);
            // Written to Redis database 2, authenticated with the password Spring Data Redis's properties hold.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(raw.sync().keys("*prices*a1*")).hasSize(1);
                assertThat(raw.sync().keys("*products*p1*")).hasSize(1);
            });

            try (ConfigurableApplicationContext second = node()) {
                RedisApp.Catalog other = second.getBean(RedisApp.Catalog.class);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    other.price("warm-" + warm.incrementAndGet());
                    return !raw.sync().keys("*prices*warm-" + warm.get()).isEmpty();
                });
                int otherWarmLoads = other.priceLoads();
                assertThat(other.price("a1")).isEqualTo("price of a1");
                assertThat(other.product("p1")).isEqualTo(new RedisApp.Product("p1", "product p1", 1234));
                assertThat(other.priceLoads()).as("read from Redis, not loaded").isEqualTo(otherWarmLoads);
                assertThat(other.productLoads()).as("read from Redis, not loaded").isZero();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
