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
    void sentinelPropertiesBecomeASentinelUri() {
        RedisSettings.Resolved r = RedisSettings.resolve(perfkit(), new MockEnvironment()
                .withProperty("spring.data.redis.sentinel.master", "mymaster")
                .withProperty("spring.data.redis.sentinel.nodes", "s1:26379, s2:26380")
                .withProperty("spring.data.redis.sentinel.username", "sentinel-user")
                .withProperty("spring.data.redis.sentinel.password", "sentinel-pw")
                .withProperty("spring.data.redis.username", "app")
                .withProperty("spring.data.redis.password", "p@ss")
                .withProperty("spring.data.redis.database", "4"), (RedisSettings.Connection) null);
        assertThat(r).isNotNull();
        assertThat(r.sentinel()).isTrue();
        assertThat(r.uri()).isEqualTo("redis-sentinel://app:p%40ss@s1:26379,s2:26380/4#mymaster");
        assertThat(r.sentinelUsername()).isEqualTo("sentinel-user");
        assertThat(r.sentinelPassword()).isEqualTo("sentinel-pw");
        assertThat(r.toString()).doesNotContain("p%40ss").doesNotContain("sentinel-pw");
        // Lettuce reads the same thing back: data node credentials, database, master and sentinels.
        io.lettuce.core.RedisURI lettuce = io.lettuce.core.RedisURI.create(r.uri());
        assertThat(lettuce.getSentinelMasterId()).isEqualTo("mymaster");
        assertThat(lettuce.getSentinels()).extracting(io.lettuce.core.RedisURI::getPort).containsExactly(26379, 26380);
        assertThat(lettuce.getDatabase()).isEqualTo(4);
        assertThat(lettuce.getUsername()).isEqualTo("app");
        assertThat(new String(lettuce.getPassword())).isEqualTo("p@ss");

        RedisSettings.Resolved tls = RedisSettings.resolve(perfkit(), new MockEnvironment()
                .withProperty("spring.data.redis.sentinel.master", "m")
                .withProperty("spring.data.redis.sentinel.nodes", "s1:26379")
                .withProperty("spring.data.redis.ssl.enabled", "true"), (RedisSettings.Connection) null);
        assertThat(tls).isNotNull();
        assertThat(tls.uri()).isEqualTo("rediss-sentinel://s1:26379#m");
        assertThat(tls.sentinelPassword()).isNull();
        assertThat(tls.sslBundleName()).isNull();
    }

    @Test
    void badSentinelPropertiesNameTheProperty() {
        assertThatThrownBy(() -> RedisSettings.resolve(perfkit(), new MockEnvironment()
                .withProperty("spring.data.redis.sentinel.master", "m"), (RedisSettings.Connection) null))
                .hasMessageStartingWith("spring.data.redis.sentinel.nodes");
        assertThatThrownBy(() -> RedisSettings.resolve(perfkit(), new MockEnvironment()
                .withProperty("spring.data.redis.sentinel.master", "m")
                .withProperty("spring.data.redis.sentinel.nodes", "s1"), (RedisSettings.Connection) null))
                .hasMessageStartingWith("spring.data.redis.sentinel.nodes");
        assertThatThrownBy(() -> RedisSettings.resolve(perfkit(), new MockEnvironment()
                .withProperty("spring.data.redis.sentinel.master", "m")
                .withProperty("spring.data.redis.sentinel.nodes", "s1:x"), (RedisSettings.Connection) null))
                .hasMessageStartingWith("spring.data.redis.sentinel.nodes");
    }

    @Test
    void optOutMeansNoRedis() {
        PerfkitProperties.Redis off = perfkit();
        off.setReuseSpringData(false);
        assertThat(RedisSettings.resolve(off, new MockEnvironment()
                .withProperty("spring.data.redis.host", "h"), (RedisSettings.Connection) null)).isNull();
    }

    @Test
    void anSslBundleMeansRedissAndIsNamedForTheTierWithoutAWarning() {
        Logger logger = (Logger) LoggerFactory.getLogger(RedisSettings.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            RedisSettings.Resolved r = RedisSettings.resolve(perfkit(), new MockEnvironment()
                    .withProperty("spring.data.redis.host", "tls.example")
                    .withProperty("spring.data.redis.ssl.bundle", " redis-ca "), (RedisSettings.Connection) null);
            assertThat(r).isNotNull();
            assertThat(r.uri()).isEqualTo("rediss://tls.example:6379");
            assertThat(r.sslBundleName()).isEqualTo("redis-ca");
            // ssl.enabled without a bundle: TLS with the JVM's default trust store, nothing to look up.
            RedisSettings.Resolved jvm = RedisSettings.resolve(perfkit(), new MockEnvironment()
                    .withProperty("spring.data.redis.host", "tls.example")
                    .withProperty("spring.data.redis.ssl.enabled", "true"), (RedisSettings.Connection) null);
            assertThat(jvm).isNotNull();
            assertThat(jvm.uri()).startsWith("rediss://");
            assertThat(jvm.sslBundleName()).isNull();
            assertThat(jvm.sslBundle()).isNull();
            assertThat(logs.list).noneMatch(e -> e.getLevel() == Level.WARN);
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

        RedisConnectionDetails sentinel = new RedisConnectionDetails() {
            @Override
            public String getPassword() {
                return "data-pw";
            }

            @Override
            public Sentinel getSentinel() {
                return new Sentinel() {
                    @Override
                    public int getDatabase() {
                        return 2;
                    }

                    @Override
                    public String getMaster() {
                        return "mymaster";
                    }

                    @Override
                    public List<Node> getNodes() {
                        return List.of(new Node("s1", 26379), new Node("s2", 26380));
                    }

                    @Override
                    public String getUsername() {
                        return null;
                    }

                    @Override
                    public String getPassword() {
                        return "sentinel-pw";
                    }
                };
            }
        };
        RedisSettings.Resolved s = RedisSettings.resolve(perfkit(), new MockEnvironment(), RedisSettings.view(sentinel));
        assertThat(s).isNotNull();
        assertThat(s.uri()).isEqualTo("redis-sentinel://:data-pw@s1:26379,s2:26380/2#mymaster");
        assertThat(s.sentinelPassword()).isEqualTo("sentinel-pw");
        assertThat(s.sslBundle()).isNull();

        // The connection details' own SSL bundle is carried as is (no name to look up).
        org.springframework.boot.ssl.SslBundle bundle = org.springframework.boot.ssl.SslBundle.of(
                org.springframework.boot.ssl.SslStoreBundle.NONE);
        RedisConnectionDetails tls = new RedisConnectionDetails() {
            @Override
            public Standalone getStandalone() {
                return Standalone.of("tls.host", 6380, bundle);
            }
        };
        RedisSettings.Resolved t = RedisSettings.resolve(perfkit(), new MockEnvironment(), RedisSettings.view(tls));
        assertThat(t).isNotNull();
        assertThat(t.uri()).isEqualTo("rediss://tls.host:6380");
        assertThat(t.sslBundle()).isSameAs(bundle);
        assertThat(t.sslBundleName()).isNull();
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
