package io.github.perfkit.spring.internal;

import io.github.perfkit.spring.PerfkitProperties;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Where the cache's Redis tier connects: {@code perfkit.cache.redis.url} when set; otherwise, unless
 * {@code perfkit.cache.redis.reuse-spring-data=false}, Spring Data Redis's connection — its
 * {@link RedisConnectionDetails} bean when Spring Data Redis is in use (which also covers service connections such
 * as Testcontainers), else the {@code spring.data.redis.*} properties when any is set (url, host, port, username,
 * password, database, ssl.enabled, timeout, connect-timeout, cluster.nodes). Sentinel is not supported by the
 * tier (a warning, L1 only). Spring's command {@code timeout} (often seconds) is not used for cache commands,
 * which must fail fast ({@code perfkit.cache.redis.command-timeout}); it is used as the connect timeout when
 * {@code connect-timeout} is not set. Thread-safe: stateless.
 */
public final class RedisSettings {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSettings.class);
    private static final String PREFIX = "spring.data.redis";

    /**
     * A resolved connection.
     *
     * @param uri the Redis URI (may hold a password: never log it)
     * @param cluster whether it is a Redis Cluster seed node
     * @param connectTimeout the connect timeout, or null for the tier's default
     * @param source where it came from, for the log
     */
    public record Resolved(String uri, boolean cluster, @Nullable Duration connectTimeout, String source) {
        /**
         * @param uri the Redis URI
         * @param cluster whether it is a Redis Cluster seed node
         * @param connectTimeout the connect timeout, or null
         * @param source where it came from
         */
        public Resolved {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String toString() {
            return "Resolved[" + redacted(uri) + ", cluster=" + cluster + ", source=" + source + "]";
        }
    }

    private RedisSettings() {}

    /**
     * Resolves the connection.
     *
     * @param redis Perfkit's Redis properties
     * @param environment the environment (for {@code spring.data.redis.*})
     * @param details Spring Data Redis's connection details bean, or null
     * @return the connection, or null for no Redis tier
     */
    public static @Nullable Resolved resolve(PerfkitProperties.Redis redis, Environment environment,
                                             @Nullable RedisConnectionDetails details) {
        String url = redis.getUrl();
        if (url != null) {
            return new Resolved(url, false, null, "perfkit.cache.redis.url");
        }
        if (!redis.isReuseSpringData()) {
            return null;
        }
        RedisProperties props = Binder.get(environment).bind(PREFIX, RedisProperties.class).orElse(null);
        if (details == null && props == null) {
            return null;
        }
        RedisProperties p = props == null ? new RedisProperties() : props;
        Duration connect = p.getConnectTimeout() != null ? p.getConnectTimeout() : p.getTimeout();
        if (connect != null && (connect.isNegative() || connect.isZero())) {
            connect = null;
        }
        boolean ssl = p.getSsl().isEnabled() || (p.getUrl() != null && p.getUrl().startsWith("rediss://"));
        if (details != null) {
            return fromDetails(details, ssl, connect);
        }
        return fromProperties(p, ssl, connect);
    }

    private static @Nullable Resolved fromDetails(RedisConnectionDetails d, boolean ssl, @Nullable Duration connect) {
        String source = "Spring Data Redis connection (" + d.getClass().getSimpleName() + ")";
        if (d.getSentinel() != null) {
            sentinel();
            return null;
        }
        if (d.getCluster() != null && !d.getCluster().getNodes().isEmpty()) {
            RedisConnectionDetails.Node node = d.getCluster().getNodes().get(0);
            return new Resolved(uri(ssl, d.getUsername(), d.getPassword(), node.host(), node.port(), 0), true,
                    connect, source);
        }
        RedisConnectionDetails.Standalone s = d.getStandalone();
        if (s == null) {
            return null;
        }
        boolean tls = ssl || s.getSslBundle() != null;
        return new Resolved(uri(tls, d.getUsername(), d.getPassword(), s.getHost(), s.getPort(), s.getDatabase()),
                false, connect, source);
    }

    private static @Nullable Resolved fromProperties(RedisProperties p, boolean ssl, @Nullable Duration connect) {
        String source = PREFIX + ".*";
        if (p.getSentinel() != null && p.getSentinel().getMaster() != null) {
            sentinel();
            return null;
        }
        if (p.getCluster() != null && p.getCluster().getNodes() != null && !p.getCluster().getNodes().isEmpty()) {
            String node = p.getCluster().getNodes().get(0).trim();
            int colon = node.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(PREFIX + ".cluster.nodes must be host:port entries, was '"
                        + node + "'");
            }
            return new Resolved(uri(ssl, p.getUsername(), p.getPassword(), node.substring(0, colon),
                    port(node.substring(colon + 1)), 0), true, connect, source);
        }
        if (p.getUrl() != null && !p.getUrl().isBlank()) {
            String u = p.getUrl().trim();
            if (!u.startsWith("redis://") && !u.startsWith("rediss://")) {
                throw new IllegalArgumentException(PREFIX + ".url must start with redis:// or rediss://");
            }
            if (ssl && u.startsWith("redis://")) {
                u = "rediss://" + u.substring("redis://".length());
            }
            return new Resolved(u, false, connect, source);
        }
        return new Resolved(uri(ssl, p.getUsername(), p.getPassword(), p.getHost(), p.getPort(), p.getDatabase()),
                false, connect, source);
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + ".cluster.nodes has a bad port '" + text + "'", e);
        }
    }

    private static void sentinel() {
        LOG.warn("Perfkit: Spring Data Redis uses Sentinel, which Perfkit's Redis tier does not support; the cache "
                + "stays L1-only (set perfkit.cache.redis.url to a master to use Redis)");
    }

    static String uri(boolean ssl, @Nullable String username, @Nullable String password, String host, int port,
                      int database) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(PREFIX + ".port must be in [1, 65535], was " + port);
        }
        if (database < 0) {
            throw new IllegalArgumentException(PREFIX + ".database must not be negative, was " + database);
        }
        StringBuilder b = new StringBuilder(ssl ? "rediss://" : "redis://");
        if (password != null && !password.isEmpty()) {
            if (username != null && !username.isEmpty()) {
                b.append(encode(username));
            }
            b.append(':').append(encode(password)).append('@');
        }
        b.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host).append(':').append(port);
        if (database > 0) {
            b.append('/').append(database);
        }
        return b.toString();
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters (java.net.URI decodes the user info). */
    private static String encode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte by : s.getBytes(StandardCharsets.UTF_8)) {
            int c = by & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) {
                out.write(c);
            } else {
                byte[] hex = String.format(java.util.Locale.ROOT, "%%%02X", c).getBytes(StandardCharsets.US_ASCII);
                out.write(hex, 0, hex.length);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /**
     * The URI without its user info, for logs.
     *
     * @param uri a Redis URI
     * @return the URI with any {@code user:password@} replaced by {@code ***@}
     */
    public static String redacted(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return uri;
        }
        return uri.substring(0, scheme + 3) + "***@" + uri.substring(at + 1);
    }
}
