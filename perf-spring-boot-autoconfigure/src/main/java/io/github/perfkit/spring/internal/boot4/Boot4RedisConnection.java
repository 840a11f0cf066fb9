package io.github.perfkit.spring.internal.boot4;

import io.github.perfkit.spring.internal.RedisSettings;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * Spring Boot 4's Redis connection details ({@code DataRedisConnectionDetails}, which replaced Boot 3's
 * {@code RedisConnectionDetails}) as the version-independent {@link RedisSettings.Connection} that
 * {@link RedisSettings#resolve(io.github.perfkit.spring.PerfkitProperties.Redis,
 * org.springframework.core.env.Environment, RedisSettings.Connection)} turns into the Redis tier's URI. Covers the
 * properties-based details Boot 4 creates from {@code spring.data.redis.*} and service connections (Testcontainers,
 * Docker Compose). Call only when {@link #DETAILS_CLASS} is on the class path. A master/replica set-up (new in Boot 4)
 * is not supported by Perfkit's Redis tier: its view has neither host nor cluster nodes, so the cache stays L1-only.
 *
 * <p>Thread-safe: stateless.
 */
public final class Boot4RedisConnection {

    /** Spring Boot 4's connection details type. */
    public static final String DETAILS_CLASS =
            "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";

    private static final Logger LOG = LoggerFactory.getLogger(Boot4RedisConnection.class);

    private Boot4RedisConnection() {}

    /**
     * The unique Boot 4 connection details bean, as a {@link RedisSettings.Connection}.
     *
     * @param beans the bean factory
     * @return the view, or null when there is no unique details bean
     */
    public static RedisSettings.@Nullable Connection details(ListableBeanFactory beans) {
        Objects.requireNonNull(beans, "beans");
        DataRedisConnectionDetails d = beans.getBeanProvider(DataRedisConnectionDetails.class).getIfUnique();
        return d == null ? null : view(d);
    }

    /**
     * Boot 4's connection details as a {@link RedisSettings.Connection}.
     *
     * @param details Spring Data Redis's connection details (Spring Boot 4)
     * @return the view: user, password, standalone host/port/database, whether an SSL bundle is set, cluster nodes,
     *     whether Sentinel is used
     */
    public static RedisSettings.Connection view(DataRedisConnectionDetails details) {
        Objects.requireNonNull(details, "details");
        DataRedisConnectionDetails.Cluster cluster = details.getCluster();
        List<String> nodes = cluster == null ? List.of()
                : cluster.getNodes().stream().map(n -> n.host() + ":" + n.port()).toList();
        DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
        if (sentinel != null) {
            List<String> sentinels = sentinel.getNodes().stream().map(n -> n.host() + ":" + n.port()).toList();
            return new RedisSettings.Connection(details.getUsername(), details.getPassword(), null, 0,
                    sentinel.getDatabase(), details.getSslBundle(), List.of(), sentinel.getMaster(), sentinels,
                    sentinel.getUsername(), sentinel.getPassword());
        }
        DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
        if (details.getMasterReplica() != null && nodes.isEmpty()) {
            LOG.info("Perfkit: Spring Data Redis uses master/replica, which Perfkit's Redis tier does not support; the "
                    + "cache stays L1-only (set perfkit.cache.redis.url to the master to use Redis)");
            standalone = null;
        }
        return new RedisSettings.Connection(details.getUsername(), details.getPassword(),
                standalone == null ? null : standalone.getHost(), standalone == null ? 0 : standalone.getPort(),
                standalone == null ? 0 : standalone.getDatabase(), details.getSslBundle(), nodes, null, List.of(),
                null, null);
    }
}
