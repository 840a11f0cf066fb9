package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.cache.codec.JsonCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.cache.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pattern invalidation on a three-master Redis Cluster: SCAN must visit every master. */
class RedisClusterIT {

    private static final List<RedisServer> NODES = new ArrayList<>();
    private static final List<RedisClient> ADMIN_CLIENTS = new ArrayList<>();
    private static final List<StatefulRedisConnection<String, String>> ADMIN = new ArrayList<>();

    @BeforeAll
    static void formCluster() {
        for (int i = 0; i < 3; i++) {
            RedisServer node = RedisServer.clusterNode(RedisServer.freeClusterPort());
            node.start();
            NODES.add(node);
            RedisClient c = RedisClient.create(node.uri());
            ADMIN_CLIENTS.add(c);
            ADMIN.add(c.connect());
        }
        int per = 16_384 / 3;
        for (int i = 0; i < 3; i++) {
            int from = i * per;
            int to = i == 2 ? 16_383 : from + per - 1;
            ADMIN.get(i).sync().clusterAddSlots(IntStream.rangeClosed(from, to).toArray());
        }
        for (int i = 1; i < 3; i++) {
            ADMIN.get(0).sync().clusterMeet("127.0.0.1", NODES.get(i).port());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ADMIN.stream()
                .allMatch(c -> c.sync().clusterInfo().contains("cluster_state:ok")
                        && c.sync().clusterInfo().contains("cluster_known_nodes:3")));
    }

    @AfterAll
    static void stopCluster() {
        ADMIN.forEach(StatefulRedisConnection::close);
        ADMIN_CLIENTS.forEach(c -> c.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        NODES.forEach(RedisServer::stop);
    }

    @Test
    void patternInvalidationReachesEveryMasterAndEvictionsBroadcast() {
        SimpleMeterRegistry ra = new SimpleMeterRegistry();
        SimpleMeterRegistry rb = new SimpleMeterRegistry();
        try (CacheManager a = manager(ra); CacheManager b = manager(rb)) {
            MultilevelCache<String> ca = a.cache("c", CacheConfig.builder().l2TtlJitter(0).build(), JsonCodec.of(String.class));
            MultilevelCache<String> cb = b.cache("c", CacheConfig.builder().l2TtlJitter(0).build(), JsonCodec.of(String.class));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                ca.get("probe", k -> "p");
                return "closed".equals(a.remoteState()) && cb.getIfPresent("probe") != null
                        && subscribed(ra) && subscribed(rb);
            });
            for (int i = 0; i < 3_000; i++) {
                ca.put("item:" + i, "v" + i);
            }
            ca.put("keep:1", "k");
            // Every master holds some of the keys.
            for (StatefulRedisConnection<String, String> node : ADMIN) {
                assertThat(node.sync().dbsize()).isGreaterThan(500);
            }
            assertThat(cb.get("item:7", k -> "loaded")).isEqualTo("v7");
            long removed = ca.invalidatePattern("item:*");
            assertThat(removed).isEqualTo(3_000);
            long left = ADMIN.stream().mapToLong(n -> n.sync().dbsize()).sum();
            assertThat(left).isEqualTo(3); // probe, keep:1 and the cache's pattern-invalidation epoch
            await().atMost(Duration.ofSeconds(2)).until(() -> cb.stats().l1Size() == 1);
            // Evictions use the compare-and-set marker routed to the key's master.
            cb.get("keep:1", k -> "other");
            ca.evict("keep:1");
            await().atMost(Duration.ofSeconds(2)).until(() -> "reloaded".equals(cb.get("keep:1", k -> "reloaded")));
        }
    }

    /** The invalidation subscription is established when the first (re)subscription clears L1. */
    private static boolean subscribed(SimpleMeterRegistry registry) {
        var clears = registry.find(MetricNames.L1_CLEARS).tag("reason", "resubscribed").counter();
        return clears != null && clears.count() >= 1;
    }

    private static CacheManager manager(SimpleMeterRegistry registry) {
        return CacheManager.builder().registry(registry).keyPrefix("cl")
                .remoteTier(RedisTier.create(RedisTierConfig.builder().uri(NODES.get(0).uri()).cluster(true)
                        .commandTimeout(Duration.ofMillis(200)).build()))
                .build();
    }
}
