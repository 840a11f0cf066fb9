package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.cache.codec.JsonCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.cache.support.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The redis-server binary shipped in embedded-redis works, so {@code ./mvnw verify} needs nothing installed. */
class ShippedRedisFallbackIT {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.shipped();

    @Test
    void twoNodesShareL2AndInvalidationsOnTheShippedServer() {
        try (CacheManager a = manager(); CacheManager b = manager()) {
            MultilevelCache<String> ca = a.cache("c", CacheConfig.ofDefaults(), JsonCodec.of(String.class));
            MultilevelCache<String> cb = b.cache("c", CacheConfig.ofDefaults(), JsonCodec.of(String.class));
            await().atMost(Duration.ofSeconds(10)).until(() -> "closed".equals(a.remoteState())
                    && ca.get("probe", k -> "p") != null && cb.getIfPresent("probe") != null);
            assertThat(cb.stats().l2Hits()).isGreaterThan(0);
            ca.invalidatePattern("pro*");
            await().atMost(Duration.ofSeconds(2)).until(() -> cb.stats().l1Size() == 0);
        }
    }

    private static CacheManager manager() {
        return CacheManager.builder().registry(new SimpleMeterRegistry())
                .remoteTier(RedisTier.create(RedisTierConfig.builder().uri(REDIS.uri()).build())).build();
    }
}
