package io.github.perfkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.perfkit.spring.internal.RedisSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.mock.env.MockEnvironment;

/** How the cache's Redis connection is resolved from Perfkit's and Spring Data Redis's settings. */
class RedisSettingsTest {

    private static PerfkitProperties.Redis perfkit() {
        return new PerfkitProperties().getCache().getRedis();
    }

    @Test
    void nothingConfiguredMeansNoRedis() {
        assertThat(RedisSettings.resolve(perfkit(), new MockEnvironment(), (RedisSettings.Connection) null)).isNull();
    }

    @Test
    void perfkitsUrlWinsOverSpringDataRedis() {
        PerfkitProperties.Redis redis = perfkit();
        redis.setUrl("redis://perfkit:6379");
        MockEnvironment env = new MockEnvironment().withProperty("spring.data.redis.host", "spring");
        RedisSettings.Resolved r = RedisSettings.resolve(redis, env, (RedisSettings.Connection) null);
        assertThat(r).isNotNull();
        assertThat(r.uri()).isEqualTo("redis://perfkit:6379");
        assertThat(r.source()).isEqualTo("perfkit.cache.redis.url");
    }

    @Test
    void springDataRedisPropertiesAreReused() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("spring.data.redis.host", "cache.internal")
                .withProperty("spring.data.redis.port", "6380")
                .withProperty("spring.data.redis.username", "app")
                .withProperty("spring.data.redis.password", "p@ss word")
                .withProperty("spring.data.redis.database", "3")
                .withProperty("spring.data.redis.ssl.enabled", "true")
                .withProperty("spring.data.redis.timeout", "750ms");
        RedisSettings.Resolved r = RedisSettings.resolve(perfkit(), env, (RedisSettings.Connection) null);
        assertThat(r).isNotNull();
        assertThat(r.uri()).isEqualTo("rediss://app:p%40ss%20word@cache.internal:6380/3");
        assertThat(r.cluster()).isFalse();
        assertThat(r.connectTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(r.toString()).doesNotContain("p%40ss").contains("***@cache.internal");
    }

    @Test
    void springDataRedisUrlAndClusterNodes() {
        RedisSettings.Resolved url = RedisSettings.resolve(perfkit(), new MockEnvironment()
                .withProperty("spring.data.redis.url", "redis://:pw@host:7000")
                .withProperty("spring.data.redis.ssl.enabled", "true")
                .withProperty("spring.data.redis.connect-timeout", "2s"), (RedisSettings.Connection) null);
        assertThat(url).isNotNull();
        assertThat(url.uri()).isEqualTo("rediss://:pw@host:7000");
        assertThat(url.connectTimeout()).isEqualTo(Duration.ofSeconds(2));

        RedisSettings.Resolved cluster = RedisSettings.resolve(perfkit(), new MockEnvironment()
                .withProperty("spring.data.redis.cluster.nodes", "n1:7001,n2:7002"), (RedisSettings.Connection) null);
        assertThat(cluster).isNotNull();
        assertThat(cluster.uri()).isEqualTo("redis://n1:7001");
        assertThat(cluster.cluster()).isTrue();
    }

    @Test
    void sentinelAndOptOutMeanNoRedis() {
        assertThat(RedisSettings.resolve(perfkit(), new MockEnvironment()
                .withProperty("spring.data.redis.sentinel.master", "mymaster")
                .withProperty("spring.data.redis.sentinel.nodes", "s1:26379"), (RedisSettings.Connection) null)).isNull();
        PerfkitProperties.Redis off = perfkit();
        off.setReuseSpringData(false);
        assertThat(RedisSettings.resolve(off, new MockEnvironment()
                .withProperty("spring.data.redis.host", "h"), (RedisSettings.Connection) null)).isNull();
    }

    @Test
    void anSslBundleMeansRedissAndAClearWarningThatItsTrustMaterialIsNotCarriedOver() {
        Logger logger = (Logger) LoggerFactory.getLogger(RedisSettings.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            RedisSettings.Resolved r = RedisSettings.resolve(perfkit(), new MockEnvironment()
                    .withProperty("spring.data.redis.host", "tls.example")
                    .withProperty("spring.data.redis.ssl.bundle", "redis-ca"), (RedisSettings.Connection) null);
            assertThat(r).isNotNull();
            assertThat(r.uri()).isEqualTo("rediss://tls.example:6379");
            assertThat(logs.list).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("spring.data.redis.ssl.bundle 'redis-ca'")
                        .contains("not carried over").contains("perfkit.cache.redis.url");
            });
            logs.list.clear();
            RedisSettings.resolve(perfkit(), new MockEnvironment().withProperty("spring.data.redis.host", "plain"),
                    (RedisSettings.Connection) null);
            RedisSettings.resolve(perfkit(), new MockEnvironment()
                    .withProperty("spring.data.redis.host", "tls.example")
                    .withProperty("spring.data.redis.ssl.enabled", "true"), (RedisSettings.Connection) null);
            assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("not carried over"));
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void connectionDetailsBeanIsPreferred() {
        RedisConnectionDetails details = new RedisConnectionDetails() {
            @Override
            public String getPassword() {
                return "secret";
            }

            @Override
            public Standalone getStandalone() {
                return Standalone.of("container.host", 32768, 1);
            }
        };
        RedisSettings.Resolved r = RedisSettings.resolve(perfkit(), new MockEnvironment(), RedisSettings.view(details));
        assertThat(r).isNotNull();
        assertThat(r.uri()).isEqualTo("redis://:secret@container.host:32768/1");

        RedisConnectionDetails cluster = new RedisConnectionDetails() {
            @Override
            public Cluster getCluster() {
                return () -> List.of(new Node("c1", 7000));
            }
        };
        RedisSettings.Resolved c = RedisSettings.resolve(perfkit(), new MockEnvironment(), RedisSettings.view(cluster));
        assertThat(c).isNotNull();
        assertThat(c.cluster()).isTrue();
        assertThat(c.uri()).isEqualTo("redis://c1:7000");
    }

    @Test
    void wrongSpringDataRedisValuesNameTheProperty() {
        assertThatThrownBy(() -> RedisSettings.resolve(perfkit(), new MockEnvironment()
                .withProperty("spring.data.redis.url", "http://x"), (RedisSettings.Connection) null))
                .hasMessageContaining("spring.data.redis.url");
        assertThatThrownBy(() -> RedisSettings.resolve(perfkit(), new MockEnvironment()
                .withProperty("spring.data.redis.port", "70000"), (RedisSettings.Connection) null))
                .hasMessageContaining("spring.data.redis.port");
    }
}
