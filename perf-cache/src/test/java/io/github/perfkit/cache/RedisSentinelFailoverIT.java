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
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Sentinel failover under two cache nodes: a real master, a real replica and a real Sentinel; after
 * {@code SENTINEL FAILOVER} the tiers find the promoted replica through the Sentinel, write there, and pattern
 * invalidations still reach the other node's L1 over pub/sub on the new master.
 */
class RedisSentinelFailoverIT {

    private static final String PASSWORD = "failover-pw";
    private static final String MASTER_NAME = "perfkit-failover";

    @RegisterExtension
    static final RedisServer MASTER = RedisServer.withPassword(PASSWORD);

    @RegisterExtension
    static final RedisServer REPLICA = RedisServer.withPassword(PASSWORD, "--replicaof", "127.0.0.1",
            String.valueOf(MASTER.port()), "--masterauth", PASSWORD);

    @RegisterExtension
    static final RedisServer SENTINEL = RedisServer.sentinel(MASTER_NAME, MASTER.port(), PASSWORD, null);

    private static RedisClient sentinelClient;
    private static StatefulRedisSentinelConnection<String, String> sentinelAdmin;
    private static final List<RedisClient> CLIENTS = new ArrayList<>();

    private final List<CacheManager> managers = new ArrayList<>();

    @BeforeAll
    static void connectSentinel() {
        sentinelClient = RedisClient.create("redis://127.0.0.1:" + SENTINEL.port());
        sentinelAdmin = sentinelClient.connectSentinel();
    }

    @AfterAll
    static void close() {
        sentinelAdmin.close();
        sentinelClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        CLIENTS.forEach(c -> c.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
    }

    @AfterEach
    void closeManagers() {
        managers.forEach(CacheManager::close);
    }

    private static StatefulRedisConnection<String, String> direct(int port) {
        RedisClient c = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withPassword(PASSWORD.toCharArray()).build());
        CLIENTS.add(c);
        return c.connect();
    }

    private static double resubscriptions(SimpleMeterRegistry registry) {
        Counter c = registry.find(MetricNames.L1_CLEARS).tag("reason", "resubscribed").counter();
        return c == null ? 0 : c.count();
    }

    private record Node(RedisTier tier, SimpleMeterRegistry registry, MultilevelCache<String> cache) {
    }

    private Node node() {
        RedisTier tier = RedisTier.create(RedisTierConfig.builder()
                .uri("redis-sentinel://" + PASSWORD + "@127.0.0.1:" + SENTINEL.port() + "#" + MASTER_NAME)
                .commandTimeout(Duration.ofSeconds(1)).connectRetry(Duration.ofMillis(100))
                .maxReconnectDelay(Duration.ofMillis(200)).build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CacheManager m = CacheManager.builder().registry(registry).remoteTier(tier).keyPrefix("pk")
                .breakerFailureThreshold(3).breakerOpenDuration(Duration.ofMillis(200)).build();
        managers.add(m);
        await().atMost(Duration.ofSeconds(10)).until(() -> tier.isConnected() && resubscriptions(registry) >= 1);
        return new Node(tier, registry, m.cache("failover", CacheConfig.builder().l2TtlJitter(0).build(),
                JsonCodec.of(String.class)));
    }

    @Test
    void afterAFailoverTheTiersUseThePromotedReplicaAndInvalidationsStillArrive() {
        Node a = node();
        Node b = node();
        StatefulRedisConnection<String, String> oldMaster = direct(MASTER.port());
        StatefulRedisConnection<String, String> replica = direct(REPLICA.port());
        a.cache().put("user:1", "before");
        assertThat(oldMaster.sync().get("pk:failover:user:1")).contains("before");
        // The Sentinel must know the replica before it can promote it.
        await().atMost(Duration.ofSeconds(20)).until(() -> !sentinelAdmin.sync().replicas(MASTER_NAME).isEmpty());
        double resubscribedA = resubscriptions(a.registry());
        double resubscribedB = resubscriptions(b.registry());
        assertThat(sentinelAdmin.sync().failover(MASTER_NAME)).isEqualTo("OK");
        await().atMost(Duration.ofSeconds(20)).until(() -> replica.sync().role().get(0).toString().equals("master"));
        // Both nodes reconnect (Sentinel kills the clients of the demoted master) and resubscribe on the new one.
        await().atMost(Duration.ofSeconds(20)).until(() -> resubscriptions(a.registry()) > resubscribedA
                && resubscriptions(b.registry()) > resubscribedB);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            a.cache().put("user:2", "after");
            return replica.sync().get("pk:failover:user:2") != null;
        });
        assertThat(b.cache().get("user:2", k -> "loaded")).isEqualTo("after");
        assertThat(a.cache().invalidatePattern("user:*")).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> b.cache().stats().l1Size() == 0);
    }
}
