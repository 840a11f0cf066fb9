package io.github.perfkit.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.spring.PerfkitProperties;
import io.github.perfkit.spring.internal.RedisSettings;
import io.github.perfkit.spring.internal.boot4.Boot4RedisConnection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Spring Boot 4's Redis connection details ({@code DataRedisConnectionDetails}, created by Boot 4's own Redis
 * auto-configuration from {@code spring.data.redis.*}, or defined by the application like a service connection)
 * turned into the same settings as on Boot 3: the Redis tier's URI. No Redis server is contacted.
 */
class Boot4RedisConnectionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

    private static PerfkitProperties.Redis perfkit() {
        return new PerfkitProperties().getCache().getRedis();
    }

    @Test
    void bootsOwnDetailsFromSpringDataRedisPropertiesGiveTheTiersUri() {
        assertThat(ClassUtils.isPresent(Boot4RedisConnection.DETAILS_CLASS, null)).isTrue();
        runner.withPropertyValues("spring.data.redis.host=cache.internal", "spring.data.redis.port=6380",
                "spring.data.redis.username=app", "spring.data.redis.password=p@ss word",
                "spring.data.redis.database=3").run(context -> {
                    RedisSettings.Connection connection = Boot4RedisConnection.details(context);
                    assertThat(connection).isNotNull();
                    assertThat(connection.host()).isEqualTo("cache.internal");
                    assertThat(connection.sentinelMaster()).isNull();
                    RedisSettings.Resolved r = RedisSettings.resolve(perfkit(), new MockEnvironment(), connection);
                    assertThat(r).isNotNull();
                    assertThat(r.uri()).isEqualTo("redis://app:p%40ss%20word@cache.internal:6380/3");
                    assertThat(r.cluster()).isFalse();
                    assertThat(r.source()).isEqualTo("Spring Data Redis connection details");
                    // what the cache auto-configuration calls: it finds Boot 4's details bean by itself
                    RedisSettings.Resolved wired = RedisSettings.resolve(perfkit(), context.getEnvironment(), context);
                    assertThat(wired).isNotNull();
                    assertThat(wired.uri()).isEqualTo(r.uri());
                    assertThat(wired.source()).isEqualTo("Spring Data Redis connection details");
                });
    }

    @Test
    void anApplicationsDetailsBeanWinsAndClusterNodesAreCarriedOver() {
        runner.withBean(DataRedisConnectionDetails.class, () -> new DataRedisConnectionDetails() {
            @Override
            public String getPassword() {
                return "secret";
            }

            @Override
            public Cluster getCluster() {
                return () -> List.of(new Node("c1", 7000), new Node("c2", 7001));
            }
        }).run(context -> {
            RedisSettings.Connection connection = Boot4RedisConnection.details(context);
            assertThat(connection).isNotNull();
            assertThat(connection.clusterNodes()).containsExactly("c1:7000", "c2:7001");
            RedisSettings.Resolved r = RedisSettings.resolve(perfkit(), new MockEnvironment(), connection);
            assertThat(r).isNotNull();
            assertThat(r.cluster()).isTrue();
            assertThat(r.uri()).isEqualTo("redis://:secret@c1:7000");
        });
    }

    @Test
    void sentinelBecomesASentinelTierAndMasterReplicaMeansNone() {
        DataRedisConnectionDetails sentinel = new DataRedisConnectionDetails() {
            @Override
            public Sentinel getSentinel() {
                return new Sentinel() {
                    @Override
                    public int getDatabase() {
                        return 0;
                    }

                    @Override
                    public String getMaster() {
                        return "mymaster";
                    }

                    @Override
                    public List<Node> getNodes() {
                        return List.of(new Node("s1", 26379));
                    }

                    @Override
                    public String getUsername() {
                        return "sentinel-user";
                    }

                    @Override
                    public String getPassword() {
                        return "sentinel-pass";
                    }
                };
            }
        };
        RedisSettings.Resolved viaSentinel = RedisSettings.resolve(perfkit(), new MockEnvironment(),
                Boot4RedisConnection.view(sentinel));
        assertThat(viaSentinel).isNotNull();
        assertThat(viaSentinel.sentinel()).isTrue();
        assertThat(viaSentinel.uri()).isEqualTo("redis-sentinel://s1:26379#mymaster");
        assertThat(viaSentinel.sentinelUsername()).isEqualTo("sentinel-user");
        assertThat(viaSentinel.sentinelPassword()).isEqualTo("sentinel-pass");
        DataRedisConnectionDetails masterReplica = new DataRedisConnectionDetails() {
            @Override
            public MasterReplica getMasterReplica() {
                return () -> List.of(new Node("m1", 6379), new Node("r1", 6379));
            }
        };
        RedisSettings.Connection view = Boot4RedisConnection.view(masterReplica);
        assertThat(view.host()).isNull();
        assertThat(RedisSettings.resolve(perfkit(), new MockEnvironment(), view)).isNull();
    }

    @Test
    void withoutBootsRedisAutoConfigurationThereAreNoDetails() {
        new ApplicationContextRunner().run(context -> assertThat(Boot4RedisConnection.details(context)).isNull());
    }
}
