package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.cache.codec.JsonCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.cache.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis tier through Redis Sentinel: a real password-protected master and a real Sentinel (redis-server
 * {@code --sentinel}) monitoring it, both on loopback. The tier is given only the Sentinel's address and the
 * master's name.
 */
class RedisSentinelIT {

    private static final String PASSWORD = "s3cret";

    @RegisterExtension
    static final RedisServer MASTER = RedisServer.withPassword(PASSWORD);

    @RegisterExtension
    static final RedisServer SENTINEL = RedisServer.sentinel("perfkit-master", MASTER.port(), PASSWORD, null);

    /** A second Sentinel that requires its own password. */
    @RegisterExtension
    static final RedisServer PROTECTED_SENTINEL = RedisServer.sentinel("perfkit-master", MASTER.port(), PASSWORD,
            "sentinel-pw");

    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> admin;

    private final List<CacheManager> managers = new ArrayList<>();

    @BeforeAll
    static void connectAdmin() {
        adminClient = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(MASTER.port())
                .withPassword(PASSWORD.toCharArray()).build());
        admin = adminClient.connect();
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
        adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @AfterEach
    void closeManagers() {
        managers.forEach(CacheManager::close);
    }

    private record Node(RedisTier tier, SimpleMeterRegistry registry, MultilevelCache<String> cache) {
    }

    private Node node(RedisTierConfig.Builder config) {
        RedisTier tier = RedisTier.create(config.commandTimeout(Duration.ofSeconds(1))
                .connectRetry(Duration.ofMillis(100)).build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CacheManager m = CacheManager.builder().registry(registry).remoteTier(tier).keyPrefix("pk").build();
        managers.add(m);
        await().atMost(Duration.ofSeconds(10)).until(tier::isConnected);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(MetricNames.L1_CLEARS)
                .tag("reason", "resubscribed").counter() != null && registry.find(MetricNames.L1_CLEARS)
                .tag("reason", "resubscribed").counter().count() >= 1);
        return new Node(tier, registry, m.cache("sentinel", CacheConfig.builder().l2TtlJitter(0).build(),
                JsonCodec.of(String.class)));
    }

    @Test
    void putGetAndPatternInvalidationThroughTheSentinelDiscoveredMaster() {
        // Lettuce's URI syntax, and the explicit form (nodes + master name; credentials from the base URI).
        Node a = node(RedisTierConfig.builder()
                .uri("redis-sentinel://" + PASSWORD + "@127.0.0.1:" + SENTINEL.port() + "#perfkit-master"));
        Node b = node(RedisTierConfig.builder().uri("redis://:" + PASSWORD + "@unused")
                .sentinel("perfkit-master", List.of("127.0.0.1:" + SENTINEL.port())));
        // Sentinel nodes with their own password; the data node's password stays in the URI.
        Node c = node(RedisTierConfig.builder().uri("redis://:" + PASSWORD + "@unused")
                .sentinel("perfkit-master", List.of("127.0.0.1:" + PROTECTED_SENTINEL.port()))
                .sentinelCredentials(null, "sentinel-pw".toCharArray()));
        a.cache().put("user:1", "Ada");
        a.cache().put("user:2", "Bo");
        // On the master the Sentinel pointed to.
        assertThat(admin.sync().get("pk:sentinel:user:1")).contains("Ada");
        AtomicInteger loads = new AtomicInteger();
        assertThat(b.cache().get("user:1", k -> {
            loads.incrementAndGet();
            return "loaded";
        })).isEqualTo("Ada");
        assertThat(b.cache().get("user:2", k -> "loaded")).isEqualTo("Bo");
        assertThat(loads).hasValue(0);
        assertThat(b.cache().stats().l2Hits()).isEqualTo(2);
        // The invalidation reaches the other node's L1 over pub/sub on the discovered master.
        assertThat(a.cache().invalidatePattern("user:*")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(2)).until(() -> b.cache().stats().l1Size() == 0);
        assertThat(admin.sync().exists("pk:sentinel:user:1", "pk:sentinel:user:2")).isZero();
        assertThat(c.cache().get("user:1", k -> "loaded-by-c")).isEqualTo("loaded-by-c");
        assertThat(admin.sync().get("pk:sentinel:user:1")).contains("loaded-by-c");
    }

    @Test
    void aProtectedSentinelRefusesATierWithoutSentinelCredentials() {
        RedisTier tier = RedisTier.create(RedisTierConfig.builder().uri("redis://:" + PASSWORD + "@unused")
                .sentinel("perfkit-master", List.of("127.0.0.1:" + PROTECTED_SENTINEL.port()))
                .connectRetry(Duration.ofMillis(100)).build());
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> tier.lastConnectFailure().isPresent());
            assertThat(tier.isConnected()).isFalse();
            assertThat(tier.lastConnectFailure().orElseThrow()).containsIgnoringCase("auth");
        } finally {
            tier.close();
        }
    }
}
