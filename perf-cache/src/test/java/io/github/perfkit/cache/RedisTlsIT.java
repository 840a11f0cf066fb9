package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.cache.codec.JsonCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.cache.redis.RedisTls;
import io.github.perfkit.cache.support.RedisServer;
import io.github.perfkit.cache.support.TestCerts;
import io.lettuce.core.RedisClient;
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
 * The Redis tier over TLS against real redis-servers started with {@code --tls-port}: one that accepts any client
 * (server certificate for 127.0.0.1), one that requires a client certificate (mutual TLS; server certificate for
 * the name redis.test only). Certificates are made with the openssl CLI. The plain port of each server is used
 * only to check from outside what the tier wrote over TLS.
 */
class RedisTlsIT {

    static final TestCerts CERTS = TestCerts.generate();

    @RegisterExtension
    static final RedisServer TLS = RedisServer.tls(CERTS.file("server.crt"), CERTS.file("server.key"),
            CERTS.file("ca.crt"), false);

    @RegisterExtension
    static final RedisServer MTLS = RedisServer.tls(CERTS.file("named-server.crt"), CERTS.file("named-server.key"),
            CERTS.file("ca.crt"), true);

    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> admin;

    private final List<CacheManager> managers = new ArrayList<>();

    @BeforeAll
    static void connectAdmin() {
        adminClient = RedisClient.create(TLS.uri());
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

    private record Node(CacheManager manager, RedisTier tier, SimpleMeterRegistry registry,
                        MultilevelCache<String> cache) {
    }

    private Node node(int port, RedisTls tls) {
        RedisTier tier = RedisTier.create(RedisTierConfig.builder().uri("rediss://127.0.0.1:" + port).tls(tls)
                .commandTimeout(Duration.ofSeconds(1)).connectRetry(Duration.ofMillis(100)).build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CacheManager m = CacheManager.builder().registry(registry).remoteTier(tier).keyPrefix("pk").build();
        managers.add(m);
        return new Node(m, tier, registry,
                m.cache("tls", CacheConfig.builder().l2TtlJitter(0).build(), JsonCodec.of(String.class)));
    }

    private static void awaitSubscribed(Node n) {
        await().atMost(Duration.ofSeconds(10)).until(n.tier()::isConnected);
        await().atMost(Duration.ofSeconds(10)).until(() -> n.registry().find(MetricNames.L1_CLEARS)
                .tag("reason", "resubscribed").counter() != null && n.registry().find(MetricNames.L1_CLEARS)
                .tag("reason", "resubscribed").counter().count() >= 1);
    }

    @Test
    void valuesTravelOverTlsBetweenTwoNodesAndInvalidationsToo() {
        Node a = node(TLS.tlsPort(), RedisTls.builder().trustPem(CERTS.file("ca.crt")).build());
        Node b = node(TLS.tlsPort(), RedisTls.builder()
                .trustStore(CERTS.file("trust.p12"), TestCerts.PASSWORD.toCharArray(), "PKCS12").build());
        awaitSubscribed(a);
        awaitSubscribed(b);
        MultilevelCache<String> ca = a.cache();
        MultilevelCache<String> cb = b.cache();
        ca.put("user:1", "Ada");
        // Written over TLS, visible on the server's plain port.
        assertThat(admin.sync().get("pk:tls:user:1")).contains("\"Ada\"");
        AtomicInteger loads = new AtomicInteger();
        assertThat(cb.get("user:1", k -> {
            loads.incrementAndGet();
            return "loaded";
        })).isEqualTo("Ada");
        assertThat(loads).hasValue(0);
        assertThat(cb.stats().l2Hits()).isEqualTo(1);
        // Pattern invalidation: SCAN/UNLINK and the pub/sub message to the other node's L1, all over TLS.
        assertThat(ca.invalidatePattern("user:*")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> cb.stats().l1Size() == 0);
        assertThat(admin.sync().exists("pk:tls:user:1")).isZero();
    }

    @Test
    void untrustedServerCertificateFailsClearlyAndTheCacheServesFromL1() {
        Node rogue = node(TLS.tlsPort(), RedisTls.builder().trustPem(CERTS.file("rogue-ca.crt")).build());
        // The JVM's default trust store does not know the test CA either.
        Node jvmDefault = node(TLS.tlsPort(), RedisTls.ofDefaults());
        for (Node n : List.of(rogue, jvmDefault)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> n.tier().lastConnectFailure().isPresent());
            assertThat(n.tier().lastConnectFailure().orElseThrow()).startsWith("TLS handshake failed")
                    .containsIgnoringCase("certification path");
            assertThat(n.tier().isConnected()).isFalse();
            MultilevelCache<String> c = n.cache();
            // Callers never see the Redis failure: the loader's value is served, then L1.
            assertThat(c.get("user:2", k -> "from-loader")).isEqualTo("from-loader");
            assertThat(c.getIfPresent("user:2")).isEqualTo("from-loader");
        }
        assertThat(admin.sync().exists("pk:tls:user:2")).isZero();
    }

    @Test
    void mutualTlsWorksWithTheClientKeyAndIsRefusedWithoutIt() {
        RedisTls.Builder trusted = RedisTls.builder().trustPem(CERTS.file("ca.crt"))
                // The server's certificate names redis.test, not 127.0.0.1: check the chain only.
                .verify(RedisTls.Verify.CA);
        Node pem = node(MTLS.tlsPort(), trusted.keyPem(CERTS.file("client.crt"), CERTS.file("client.key")).build());
        Node store = node(MTLS.tlsPort(), RedisTls.builder().trustPem(CERTS.file("ca.crt")).verify(RedisTls.Verify.CA)
                .keyStore(CERTS.file("client.p12"), TestCerts.PASSWORD.toCharArray(), "PKCS12").build());
        awaitSubscribed(pem);
        awaitSubscribed(store);
        pem.cache().put("user:3", "Grace");
        assertThat(store.cache().get("user:3", k -> "loaded")).isEqualTo("Grace");
        assertThat(store.cache().stats().l2Hits()).isEqualTo(1);

        Node noKey = node(MTLS.tlsPort(), RedisTls.builder().trustPem(CERTS.file("ca.crt"))
                .verify(RedisTls.Verify.CA).build());
        // Full verification: the certificate does not name 127.0.0.1.
        Node full = node(MTLS.tlsPort(), RedisTls.builder().trustPem(CERTS.file("ca.crt"))
                .keyPem(CERTS.file("client.crt"), CERTS.file("client.key")).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> noKey.tier().lastConnectFailure().isPresent()
                && full.tier().lastConnectFailure().isPresent());
        assertThat(noKey.tier().isConnected()).isFalse();
        assertThat(noKey.tier().lastConnectFailure().orElseThrow()).contains("certificate_required");
        assertThat(full.tier().isConnected()).isFalse();
        assertThat(full.tier().lastConnectFailure().orElseThrow()).startsWith("TLS handshake failed")
                .contains("127.0.0.1");
        assertThat(noKey.cache().get("user:3", k -> "from-loader")).isEqualTo("from-loader");
    }
}
