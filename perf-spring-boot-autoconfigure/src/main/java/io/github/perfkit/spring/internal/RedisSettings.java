package io.github.perfkit.spring.internal;

import io.github.perfkit.spring.PerfkitProperties;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.ClassUtils;
import org.springframework.core.env.Environment;

/**
 * Where the cache's Redis tier connects: {@code perfkit.cache.redis.url} when set; otherwise, unless
 * {@code perfkit.cache.redis.reuse-spring-data=false}, Spring Data Redis's connection — its
 * {@link RedisConnectionDetails} bean when Spring Data Redis is in use (which also covers service connections such
 * as Testcontainers), else the {@code spring.data.redis.*} properties when any is set (url, host, port, username,
 * password, database, ssl.enabled, ssl.bundle, timeout, connect-timeout, cluster.nodes, sentinel.master, sentinel.nodes,
 * sentinel.username, sentinel.password). Sentinel becomes a {@code redis-sentinel://} URI; an SSL bundle is named
 * (or, from the connection details, carried) for the auto-configuration to pass its managers to the tier. Spring's command {@code timeout} (often seconds) is not used for cache commands,
 * which must fail fast ({@code perfkit.cache.redis.command-timeout}); it is used as the connect timeout when
 * {@code connect-timeout} is not set. Thread-safe: stateless.
 */
public final class RedisSettings {

    private static final String PREFIX = "spring.data.redis";

    /**
     * A resolved connection.
     *
     * @param uri the Redis URI (may hold a password: never log it); {@code redis-sentinel://} or
     *        {@code rediss-sentinel://} for Sentinel
     * @param cluster whether it is a Redis Cluster seed node
     * @param connectTimeout the connect timeout, or null for the tier's default
     * @param source where it came from, for the log
     * @param sentinelUsername the Sentinel nodes' own user name, or null
     * @param sentinelPassword the Sentinel nodes' own password (never log it), or null
     * @param sslBundleName the name of the SSL bundle to look up ({@code spring.data.redis.ssl.bundle}), or null
     * @param sslBundle the SSL bundle of Spring Data Redis's connection details, or null
     */
    public record Resolved(String uri, boolean cluster, @Nullable Duration connectTimeout, String source,
                           @Nullable String sentinelUsername, @Nullable String sentinelPassword,
                           @Nullable String sslBundleName, @Nullable SslBundle sslBundle) {
        /**
         * @param uri the Redis URI
         * @param cluster whether it is a Redis Cluster seed node
         * @param connectTimeout the connect timeout, or null
         * @param source where it came from
         * @param sentinelUsername the Sentinel nodes' own user name, or null
         * @param sentinelPassword the Sentinel nodes' own password, or null
         * @param sslBundleName the name of the SSL bundle, or null
         * @param sslBundle the SSL bundle, or null
         */
        public Resolved {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(source, "source");
        }

        /**
         * A connection without Sentinel credentials or SSL bundle.
         *
         * @param uri the Redis URI
         * @param cluster whether it is a Redis Cluster seed node
         * @param connectTimeout the connect timeout, or null
         * @param source where it came from
         */
        public Resolved(String uri, boolean cluster, @Nullable Duration connectTimeout, String source) {
            this(uri, cluster, connectTimeout, source, null, null, null, null);
        }

        /** @return whether the master is found through Sentinel */
        public boolean sentinel() {
            return uri.startsWith("redis-sentinel://") || uri.startsWith("rediss-sentinel://");
        }

        @Override
        public String toString() {
            return "Resolved[" + redacted(uri) + ", cluster=" + cluster + ", source=" + source
                    + (sslBundleName != null ? ", sslBundle=" + sslBundleName : sslBundle != null ? ", sslBundle" : "")
                    + "]";
        }
    }

    private RedisSettings() {}

    /**
     * Spring Data Redis's connection as seen through its connection details bean, independent of the Spring Boot
     * version's class names.
     *
     * @param username the user name, or null
     * @param password the password, or null
     * @param host the standalone host, or null
     * @param port the standalone port
     * @param database the standalone (or Sentinel) database
     * @param sslBundle the SSL bundle of the standalone or Sentinel connection, or null
     * @param clusterNodes cluster nodes as host:port, empty for none
     * @param sentinelMaster the Sentinel master's name, or null when Sentinel is not used
     * @param sentinelNodes the Sentinel nodes as host:port
     * @param sentinelUsername the Sentinel nodes' own user name, or null
     * @param sentinelPassword the Sentinel nodes' own password, or null
     */
    public record Connection(@Nullable String username, @Nullable String password, @Nullable String host, int port,
                             int database, @Nullable SslBundle sslBundle, List<String> clusterNodes,
                             @Nullable String sentinelMaster, List<String> sentinelNodes,
                             @Nullable String sentinelUsername, @Nullable String sentinelPassword) {
        /**
         * @param username the user name, or null
         * @param password the password, or null
         * @param host the standalone host, or null
         * @param port the standalone port
         * @param database the standalone (or Sentinel) database
         * @param sslBundle the SSL bundle, or null
         * @param clusterNodes cluster nodes as host:port, empty for none
         * @param sentinelMaster the Sentinel master's name, or null
         * @param sentinelNodes the Sentinel nodes as host:port
         * @param sentinelUsername the Sentinel nodes' own user name, or null
         * @param sentinelPassword the Sentinel nodes' own password, or null
         */
        public Connection {
            clusterNodes = List.copyOf(clusterNodes);
            sentinelNodes = List.copyOf(sentinelNodes);
        }

        @Override
        public String toString() {
            return "Connection[" + host + ":" + port + "/" + database + ", ssl=" + (sslBundle != null) + ", cluster="
                    + clusterNodes + ", sentinel=" + sentinelMaster + "@" + sentinelNodes + "]";
        }
    }

    /**
     * Resolves the connection, looking for Spring Data Redis's connection details bean in {@code beans}.
     *
     * @param redis Perfkit's Redis properties
     * @param environment the environment (for {@code spring.data.redis.*})
     * @param beans the bean factory
     * @return the connection, or null for no Redis tier
     */
    public static @Nullable Resolved resolve(PerfkitProperties.Redis redis, Environment environment,
                                             ListableBeanFactory beans) {
        if (redis.getUrl() != null || !redis.isReuseSpringData()) {
            return resolve(redis, environment, (Connection) null);
        }
        Connection details = null;
        ClassLoader loader = RedisSettings.class.getClassLoader();
        if (ClassUtils.isPresent(BOOT3_DETAILS, loader)) {
            details = Boot3.details(beans);
        } else if (ClassUtils.isPresent(io.github.perfkit.spring.internal.boot4.Boot4RedisConnection.DETAILS_CLASS,
                loader)) {
            // Spring Boot 4 renamed the type (DataRedisConnectionDetails)
            details = io.github.perfkit.spring.internal.boot4.Boot4RedisConnection.details(beans);
        }
        return resolve(redis, environment, details);
    }

    /**
     * Resolves the connection.
     *
     * @param redis Perfkit's Redis properties
     * @param environment the environment (for {@code spring.data.redis.*})
     * @param details Spring Data Redis's connection details, or null
     * @return the connection, or null for no Redis tier
     */
    public static @Nullable Resolved resolve(PerfkitProperties.Redis redis, Environment environment,
                                             @Nullable Connection details) {
        String url = redis.getUrl();
        if (url != null) {
            String sentinelPassword = redis.getSentinelPassword();
            return new Resolved(url, false, null, "perfkit.cache.redis.url",
                    sentinelPassword == null ? null : redis.getSentinelUsername(), sentinelPassword,
                    redis.getSslBundle(), null);
        }
        if (!redis.isReuseSpringData()) {
            return null;
        }
        SpringDataRedis props = Binder.get(environment).bind(PREFIX, SpringDataRedis.class).orElse(null);
        if (details == null && props == null) {
            return null;
        }
        SpringDataRedis p = props == null ? new SpringDataRedis() : props;
        Duration connect = p.getConnectTimeout() != null ? p.getConnectTimeout() : p.getTimeout();
        if (connect != null && (connect.isNegative() || connect.isZero())) {
            connect = null;
        }
        String bundle = p.getSsl().getBundle();
        boolean hasBundle = bundle != null && !bundle.isBlank();
        // Spring Data Redis turns SSL on when a bundle is named, even without ssl.enabled.
        boolean ssl = p.getSsl().isEnabled() || hasBundle || (p.getUrl() != null && p.getUrl().startsWith("rediss://"));
        Resolved resolved = details != null ? fromDetails(details, ssl, connect) : fromProperties(p, ssl, connect);
        if (resolved != null && details == null && hasBundle) {
            // The bundle's trust material and key are looked up by name when the tier is created.
            resolved = new Resolved(resolved.uri(), resolved.cluster(), resolved.connectTimeout(), resolved.source(),
                    resolved.sentinelUsername(), resolved.sentinelPassword(), bundle.trim(), null);
        }
        return resolved;
    }

    private static @Nullable Resolved fromDetails(Connection d, boolean ssl, @Nullable Duration connect) {
        String source = "Spring Data Redis connection details";
        boolean tls = ssl || d.sslBundle() != null;
        Resolved r;
        if (d.sentinelMaster() != null) {
            r = sentinel(d.sentinelMaster(), d.sentinelNodes(), tls, d.username(), d.password(), d.database(),
                    d.sentinelUsername(), d.sentinelPassword(), connect, source);
        } else if (!d.clusterNodes().isEmpty()) {
            r = cluster(d.clusterNodes().get(0), tls, d.username(), d.password(), connect, source);
        } else if (d.host() == null) {
            return null;
        } else {
            r = new Resolved(uri(tls, d.username(), d.password(), d.host(), d.port(), d.database()), false, connect,
                    source);
        }
        return d.sslBundle() == null ? r : new Resolved(r.uri(), r.cluster(), r.connectTimeout(), r.source(),
                r.sentinelUsername(), r.sentinelPassword(), null, d.sslBundle());
    }

    private static @Nullable Resolved fromProperties(SpringDataRedis p, boolean ssl, @Nullable Duration connect) {
        String source = PREFIX + ".*";
        String master = p.getSentinel().getMaster();
        if (master != null && !master.isBlank()) {
            return sentinel(master.trim(), p.getSentinel().getNodes(), ssl, p.getUsername(), p.getPassword(),
                    p.getDatabase(), p.getSentinel().getUsername(), p.getSentinel().getPassword(), connect, source);
        }
        if (!p.getCluster().getNodes().isEmpty()) {
            return cluster(p.getCluster().getNodes().get(0), ssl, p.getUsername(), p.getPassword(), connect, source);
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

    private static Resolved cluster(String node, boolean ssl, @Nullable String username, @Nullable String password,
                                    @Nullable Duration connect, String source) {
        String n = node.trim();
        int colon = n.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(PREFIX + ".cluster.nodes must be host:port entries, was '" + n + "'");
        }
        return new Resolved(uri(ssl, username, password, n.substring(0, colon), port(n.substring(colon + 1)), 0),
                true, connect, source);
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + ".cluster.nodes has a bad port '" + text + "'", e);
        }
    }

    /**
     * The Sentinel URI in Lettuce's syntax: {@code redis-sentinel://[user:password@]n1:p1,n2:p2[/db]#master}, the
     * user info being the data node's credentials.
     */
    private static Resolved sentinel(String master, List<String> nodes, boolean ssl, @Nullable String username,
                                     @Nullable String password, int database, @Nullable String sentinelUsername,
                                     @Nullable String sentinelPassword, @Nullable Duration connect, String source) {
        if (master.contains("#") || master.contains("/")) {
            throw new IllegalArgumentException(PREFIX + ".sentinel.master must be a plain name, was '" + master + "'");
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException(PREFIX + ".sentinel.nodes must list at least one host:port when "
                    + PREFIX + ".sentinel.master is set");
        }
        if (database < 0) {
            throw new IllegalArgumentException(PREFIX + ".database must not be negative, was " + database);
        }
        List<String> hostPorts = new ArrayList<>();
        for (String node : nodes) {
            String n = node.trim();
            int colon = n.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(PREFIX + ".sentinel.nodes must be host:port entries, was '" + n
                        + "'");
            }
            int port;
            try {
                port = Integer.parseInt(n.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PREFIX + ".sentinel.nodes has a bad port in '" + n + "'", e);
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(PREFIX + ".sentinel.nodes has a port out of range in '" + n + "'");
            }
            String host = n.substring(0, colon).trim();
            hostPorts.add((host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port);
        }
        StringBuilder b = new StringBuilder(ssl ? "rediss-sentinel://" : "redis-sentinel://");
        if (password != null && !password.isEmpty()) {
            if (username != null && !username.isEmpty()) {
                b.append(encode(username));
            }
            b.append(':').append(encode(password)).append('@');
        }
        b.append(String.join(",", hostPorts));
        if (database > 0) {
            b.append('/').append(database);
        }
        b.append('#').append(master);
        boolean sentinelAuth = sentinelPassword != null && !sentinelPassword.isEmpty();
        return new Resolved(b.toString(), false, connect, source, sentinelAuth ? sentinelUsername : null,
                sentinelAuth ? sentinelPassword : null, null, null);
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
        // Same rule as perf-cache's RedisTierConfig.redact, kept here because perf-cache is optional on the
        // class path of this module (only the cache auto-configuration may touch it).
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return uri;
        }
        return uri.substring(0, scheme + 3) + "***@" + uri.substring(at + 1);
    }

    private static final String BOOT3_DETAILS = "org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails";

    /** Spring Boot 3's connection details type; loaded only when present (Spring Boot 4 moved it). */
    static final class Boot3 {
        private Boot3() {}

        static @Nullable Connection details(ListableBeanFactory beans) {
            RedisConnectionDetails d = beans.getBeanProvider(RedisConnectionDetails.class).getIfUnique();
            return d == null ? null : view(d);
        }

        static Connection view(RedisConnectionDetails d) {
            List<String> nodes = d.getCluster() == null ? List.of()
                    : d.getCluster().getNodes().stream().map(n -> n.host() + ":" + n.port()).toList();
            RedisConnectionDetails.Standalone s = d.getStandalone();
            RedisConnectionDetails.Sentinel sentinel = d.getSentinel();
            if (sentinel != null) {
                List<String> sentinels = sentinel.getNodes().stream().map(n -> n.host() + ":" + n.port()).toList();
                return new Connection(d.getUsername(), d.getPassword(), null, 0, sentinel.getDatabase(),
                        sentinel.getSslBundle(), List.of(), sentinel.getMaster(), sentinels, sentinel.getUsername(),
                        sentinel.getPassword());
            }
            return new Connection(d.getUsername(), d.getPassword(), s == null ? null : s.getHost(),
                    s == null ? 0 : s.getPort(), s == null ? 0 : s.getDatabase(), s == null ? null : s.getSslBundle(),
                    nodes, null, List.of(), null, null);
        }
    }

    /**
     * Spring Boot 3's connection details as a {@link Connection} (for tests and callers holding one).
     *
     * @param details Spring Data Redis's connection details (Spring Boot 3)
     * @return the view
     */
    public static Connection view(RedisConnectionDetails details) {
        return Boot3.view(Objects.requireNonNull(details, "details"));
    }

    /**
     * The {@code spring.data.redis.*} properties Perfkit reads, bound by itself (the same names on Spring Boot 3
     * and 4, whose own properties classes differ). Not thread-safe: bound once.
     */
    public static final class SpringDataRedis {
        private @Nullable String url;
        private String host = "localhost";
        private int port = 6379;
        private int database;
        private @Nullable String username;
        private @Nullable String password;
        private @Nullable Duration timeout;
        private @Nullable Duration connectTimeout;
        private final Ssl ssl = new Ssl();
        private final Cluster cluster = new Cluster();
        private final Sentinel sentinel = new Sentinel();

        /** Defaults as Spring Data Redis's. */
        public SpringDataRedis() {}

        /** @return the url */
        public @Nullable String getUrl() {
            return url;
        }

        /** @param url the url */
        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        /** @return the host */
        public String getHost() {
            return host;
        }

        /** @param host the host */
        public void setHost(String host) {
            this.host = host;
        }

        /** @return the port */
        public int getPort() {
            return port;
        }

        /** @param port the port */
        public void setPort(int port) {
            this.port = port;
        }

        /** @return the database */
        public int getDatabase() {
            return database;
        }

        /** @param database the database */
        public void setDatabase(int database) {
            this.database = database;
        }

        /** @return the user name */
        public @Nullable String getUsername() {
            return username;
        }

        /** @param username the user name */
        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        /** @return the password */
        public @Nullable String getPassword() {
            return password;
        }

        /** @param password the password */
        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        /** @return the command timeout */
        public @Nullable Duration getTimeout() {
            return timeout;
        }

        /** @param timeout the command timeout */
        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }

        /** @return the connect timeout */
        public @Nullable Duration getConnectTimeout() {
            return connectTimeout;
        }

        /** @param connectTimeout the connect timeout */
        public void setConnectTimeout(@Nullable Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        /** @return the SSL settings */
        public Ssl getSsl() {
            return ssl;
        }

        /** @return the cluster settings */
        public Cluster getCluster() {
            return cluster;
        }

        /** @return the Sentinel settings */
        public Sentinel getSentinel() {
            return sentinel;
        }

        @Override
        public String toString() {
            return "SpringDataRedis[" + host + ":" + port + "]";
        }

        /** {@code ssl.*}. Not thread-safe: bound once. */
        public static final class Ssl {
            private boolean enabled;
            private @Nullable String bundle;

            /** Off by default. */
            public Ssl() {}

            /** @return whether SSL is on */
            public boolean isEnabled() {
                return enabled;
            }

            /** @param enabled whether SSL is on */
            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            /** @return the SSL bundle's name, or null */
            public @Nullable String getBundle() {
                return bundle;
            }

            /** @param bundle the SSL bundle's name */
            public void setBundle(@Nullable String bundle) {
                this.bundle = bundle;
            }
        }

        /** {@code cluster.*}. Not thread-safe: bound once. */
        public static final class Cluster {
            private List<String> nodes = new ArrayList<>();

            /** No nodes by default. */
            public Cluster() {}

            /** @return the nodes, host:port */
            public List<String> getNodes() {
                return nodes;
            }

            /** @param nodes the nodes, host:port */
            public void setNodes(List<String> nodes) {
                this.nodes = new ArrayList<>(nodes);
            }
        }

        /** {@code sentinel.*}. Not thread-safe: bound once. */
        public static final class Sentinel {
            private @Nullable String master;
            private List<String> nodes = new ArrayList<>();
            private @Nullable String username;
            private @Nullable String password;

            /** @return the Sentinel nodes, host:port */
            public List<String> getNodes() {
                return nodes;
            }

            /** @param nodes the Sentinel nodes, host:port */
            public void setNodes(List<String> nodes) {
                this.nodes = new ArrayList<>(nodes);
            }

            /** @return the Sentinel nodes' own user name */
            public @Nullable String getUsername() {
                return username;
            }

            /** @param username the Sentinel nodes' own user name */
            public void setUsername(@Nullable String username) {
                this.username = username;
            }

            /** @return the Sentinel nodes' own password */
            public @Nullable String getPassword() {
                return password;
            }

            /** @param password the Sentinel nodes' own password */
            public void setPassword(@Nullable String password) {
                this.password = password;
            }

            /** No Sentinel by default. */
            public Sentinel() {}

            /** @return the master name */
            public @Nullable String getMaster() {
                return master;
            }

            /** @param master the master name */
            public void setMaster(@Nullable String master) {
                this.master = master;
            }
        }
    }
}
