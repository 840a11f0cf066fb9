package io.github.perfkit.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.spring.support.RedisProcess;
import io.github.perfkit.spring.support.TestPki;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real application whose cache reaches Redis only through Spring Data Redis's TLS and Sentinel settings: a
 * redis-server that requires TLS client certificates, configured by an SSL bundle ({@code spring.ssl.bundle.pem.*}
 * + {@code spring.data.redis.ssl.bundle}); and a password-protected master found through a real Sentinel
 * ({@code spring.data.redis.sentinel.*}). Each server's plain port shows what the cache wrote.
 */
class SpringRedisTlsAndSentinelTest {

    private static final String PASSWORD = "master-pw";
    private static final List<RedisProcess> PROCESSES = new ArrayList<>();
    private static TestPki pki;
    private static RedisProcess tls;
    private static int tlsPort;
    private static RedisProcess master;
    private static RedisProcess sentinel;

    @BeforeAll
    static void start() {
        pki = TestPki.generate();
        tlsPort = RedisProcess.freePort();
        tls = RedisProcess.start("--tls-port", String.valueOf(tlsPort), "--tls-cert-file",
                pki.file("server.crt").toString(), "--tls-key-file", pki.file("server.key").toString(),
                "--tls-ca-cert-file", pki.file("ca.crt").toString(), "--tls-auth-clients", "yes");
        PROCESSES.add(tls);
        master = RedisProcess.start("--requirepass", PASSWORD);
        PROCESSES.add(master);
        sentinel = RedisProcess.sentinel("perfkit-master", master.port(), PASSWORD);
        PROCESSES.add(sentinel);
    }

    @AfterAll
    static void stop() {
        PROCESSES.forEach(RedisProcess::close);
    }

    private static ConfigurableApplicationContext app(String... properties) {
        List<String> all = new ArrayList<>(List.of("spring.main.web-application-type=none",
                "spring.main.banner-mode=off", "spring.jmx.enabled=false", "perfkit.system-metrics=false",
                "perfkit.diagnosis.enabled=false"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(RedisApp.class).properties(all.toArray(String[]::new))
                .logStartupInfo(false).run();
    }

    /** Calls the cached method until a value reaches Redis (the tier connects in the background). */
    private static void awaitCachedInRedis(ConfigurableApplicationContext app, StatefulRedisConnection<String, String> raw) {
        RedisApp.Catalog catalog = app.getBean(RedisApp.Catalog.class);
        AtomicInteger n = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            catalog.price("sku-" + n.incrementAndGet());
            return !raw.sync().keys("*prices*sku-*").isEmpty();
        });
    }

    @Test
    void anSslBundleWithAClientKeyReachesAServerThatRequiresClientCertificates() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + tls.port());
        try (StatefulRedisConnection<String, String> raw = client.connect();
             ConfigurableApplicationContext app = app("spring.data.redis.host=127.0.0.1",
                     "spring.data.redis.port=" + tlsPort, "spring.data.redis.ssl.bundle=redis",
                     "spring.ssl.bundle.pem.redis.truststore.certificate=file:" + pki.file("ca.crt"),
                     "spring.ssl.bundle.pem.redis.keystore.certificate=file:" + pki.file("client.crt"),
                     "spring.ssl.bundle.pem.redis.keystore.private-key=file:" + pki.file("client.key"))) {
            assertThat(app.getBean(CacheManager.class).hasRemoteTier()).isTrue();
            awaitCachedInRedis(app, raw);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void sentinelPropertiesReachTheMasterTheSentinelNames() {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(master.port())
                .withPassword(PASSWORD.toCharArray()).build());
        try (StatefulRedisConnection<String, String> raw = client.connect();
             ConfigurableApplicationContext app = app("spring.data.redis.sentinel.master=perfkit-master",
                     "spring.data.redis.sentinel.nodes=127.0.0.1:" + sentinel.port(),
                     "spring.data.redis.password=" + PASSWORD)) {
            awaitCachedInRedis(app, raw);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
