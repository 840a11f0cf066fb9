package io.github.perfkit.cache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of a {@link RedisTier}. Build with {@link #builder()}; {@link Builder#build()}
 * validates and names the bad field. Thread-safe.
 */
public final class RedisTierConfig {

    /** Default command timeout: L2 must be faster than the loader to be worth asking. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(50);
    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Default bound of Lettuce's request queue (Lettuce's own default is unbounded). */
    public static final int DEFAULT_REQUEST_QUEUE_SIZE = 1_024;
    /** Default {@code SCAN} count hint. */
    public static final int DEFAULT_SCAN_COUNT = 1_000;
    /** Default number of keys per {@code UNLINK}. */
    public static final int DEFAULT_UNLINK_BATCH = 500;
    /** Default TCP keepalive idle time before probes. */
    public static final Duration DEFAULT_KEEPALIVE_IDLE = Duration.ofSeconds(3);
    /** Default {@code TCP_USER_TIMEOUT}: unacknowledged data for this long closes the connection. */
    public static final Duration DEFAULT_TCP_USER_TIMEOUT = Duration.ofSeconds(8);
    /** Default timeout of the SCAN and UNLINK steps of a pattern invalidation (not on a request's path). */
    public static final Duration DEFAULT_BULK_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** Default longest pause between reconnection attempts (exponential backoff from 50 ms). */
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(2);
    /** Default interval between connection attempts while Redis is unreachable at startup. */
    public static final Duration DEFAULT_CONNECT_RETRY = Duration.ofMillis(500);

    private final String uri;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final int requestQueueSize;
    private final int scanCount;
    private final int unlinkBatch;
    private final Duration keepAliveIdle;
    private final Duration tcpUserTimeout;
    private final Duration connectRetry;
    private final Duration bulkCommandTimeout;
    private final boolean cluster;
    private final Duration maxReconnectDelay;
    private final @Nullable RedisTls tls;
    private final @Nullable String sentinelUsername;
    private final char @Nullable [] sentinelPassword;

    private RedisTierConfig(Builder b, String uri) {
        this.uri = uri;
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.requestQueueSize = b.requestQueueSize;
        this.scanCount = b.scanCount;
        this.unlinkBatch = b.unlinkBatch;
        this.keepAliveIdle = b.keepAliveIdle;
        this.tcpUserTimeout = b.tcpUserTimeout;
        this.connectRetry = b.connectRetry;
        this.bulkCommandTimeout = b.bulkCommandTimeout;
        this.cluster = b.cluster;
        this.maxReconnectDelay = b.maxReconnectDelay;
        this.tls = b.tls;
        this.sentinelUsername = b.sentinelUsername;
        this.sentinelPassword = b.sentinelPassword == null ? null : b.sentinelPassword.clone();
    }

    /**
     * A builder; {@link Builder#uri} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the Redis URI, e.g. {@code redis://127.0.0.1:6379}, or for Sentinel
     *         {@code redis-sentinel://[password@]host:port[,host2:port2][/db]#masterName}
     */
    public String uri() {
        return uri;
    }

    /** @return whether the tier finds its master through Redis Sentinel */
    public boolean sentinel() {
        return isSentinel(uri);
    }

    /** @return whether the connection uses TLS ({@code rediss://} or {@code rediss-sentinel://}) */
    public boolean ssl() {
        return uri.startsWith("rediss://") || uri.startsWith("rediss-sentinel://");
    }

    /** @return the TLS options, or null for TLS with the JVM's default trust (or no TLS) */
    public @Nullable RedisTls tls() {
        return tls;
    }

    /** @return the user name for the Sentinel nodes themselves, or null */
    public @Nullable String sentinelUsername() {
        return sentinelUsername;
    }

    /** @return a copy of the password for the Sentinel nodes themselves, or null */
    public char @Nullable [] sentinelPassword() {
        return sentinelPassword == null ? null : sentinelPassword.clone();
    }

    private static boolean isSentinel(String uri) {
        return uri.startsWith("redis-sentinel://") || uri.startsWith("rediss-sentinel://");
    }

    /**
     * A Redis URI fit for logs: any {@code user:password@} replaced by {@code ***@}.
     *
     * @param uri a Redis URI
     * @return the URI without its user info
     */
    public static String redact(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return uri;
        }
        return uri.substring(0, scheme + 3) + "***@" + uri.substring(at + 1);
    }

    /** @return the command timeout */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** @return the connect timeout */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the bound of Lettuce's request queue */
    public int requestQueueSize() {
        return requestQueueSize;
    }

    /** @return the {@code SCAN} count hint */
    public int scanCount() {
        return scanCount;
    }

    /** @return keys per {@code UNLINK} */
    public int unlinkBatch() {
        return unlinkBatch;
    }

    /** @return TCP keepalive idle time */
    public Duration keepAliveIdle() {
        return keepAliveIdle;
    }

    /** @return {@code TCP_USER_TIMEOUT} */
    public Duration tcpUserTimeout() {
        return tcpUserTimeout;
    }

    /** @return interval between connection attempts until the first connection succeeds */
    public Duration connectRetry() {
        return connectRetry;
    }

    /** @return whether {@link #uri()} is a seed node of a Redis Cluster */
    public boolean cluster() {
        return cluster;
    }

    /** @return the timeout of the SCAN and UNLINK steps of a pattern invalidation */
    public Duration bulkCommandTimeout() {
        return bulkCommandTimeout;
    }

    /** @return the longest pause between reconnection attempts after a lost connection */
    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }

    /** Builder of {@link RedisTierConfig}; not thread-safe. */
    public static final class Builder {
        private String uri = "";
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
        private int scanCount = DEFAULT_SCAN_COUNT;
        private int unlinkBatch = DEFAULT_UNLINK_BATCH;
        private Duration keepAliveIdle = DEFAULT_KEEPALIVE_IDLE;
        private Duration tcpUserTimeout = DEFAULT_TCP_USER_TIMEOUT;
        private Duration connectRetry = DEFAULT_CONNECT_RETRY;
        private Duration bulkCommandTimeout = DEFAULT_BULK_COMMAND_TIMEOUT;
        private boolean cluster;
        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
        private @Nullable RedisTls tls;
        private @Nullable String sentinelMaster;
        private List<String> sentinelNodes = List.of();
        private @Nullable String sentinelUsername;
        private char @Nullable [] sentinelPassword;

        private Builder() {
        }

        /**
         * TLS options: trust material, client key, peer verification. Needs a {@code rediss://} or
         * {@code rediss-sentinel://} URI (or {@code rediss://} base URI with {@link #sentinel}).
         *
         * @param tls the options
         * @return this builder
         */
        public Builder tls(RedisTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Connects through Redis Sentinel: the master named {@code masterName} is looked up on these Sentinel nodes
         * (and again after a failover). {@link #uri} is then optional and, when set ({@code redis://} or
         * {@code rediss://}), gives only the data node's credentials, database and TLS; its host and port are not
         * used. Equivalent to a {@code redis-sentinel://} URI.
         *
         * @param masterName the master's name as configured in Sentinel ({@code sentinel monitor <name> ...})
         * @param nodes the Sentinel nodes as {@code host:port}, at least one
         * @return this builder
         */
        public Builder sentinel(String masterName, List<String> nodes) {
            this.sentinelMaster = Objects.requireNonNull(masterName, "sentinel masterName");
            this.sentinelNodes = List.copyOf(Objects.requireNonNull(nodes, "sentinel nodes"));
            return this;
        }

        /**
         * Credentials of the Sentinel nodes themselves, when they require authentication (the data node's are in
         * the URI).
         *
         * @param username the user name, or null for the default user
         * @param password the password
         * @return this builder
         */
        public Builder sentinelCredentials(@Nullable String username, char[] password) {
            this.sentinelUsername = username;
            this.sentinelPassword = Objects.requireNonNull(password, "sentinelPassword").clone();
            return this;
        }

        /**
         * @param uri the Redis URI, e.g. {@code redis://127.0.0.1:6379}
         * @return this builder
         */
        public Builder uri(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * @param timeout command timeout, positive
         * @return this builder
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Objects.requireNonNull(timeout, "commandTimeout");
            return this;
        }

        /**
         * @param timeout connect timeout, positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
            return this;
        }

        /**
         * @param size bound of Lettuce's request queue, at least 16
         * @return this builder
         */
        public Builder requestQueueSize(int size) {
            this.requestQueueSize = size;
            return this;
        }

        /**
         * @param count {@code SCAN} count hint, in [10, 100000]
         * @return this builder
         */
        public Builder scanCount(int count) {
            this.scanCount = count;
            return this;
        }

        /**
         * @param batch keys per {@code UNLINK}, in [1, 10000]
         * @return this builder
         */
        public Builder unlinkBatch(int batch) {
            this.unlinkBatch = batch;
            return this;
        }

        /**
         * @param idle TCP keepalive idle time, at least one second
         * @return this builder
         */
        public Builder keepAliveIdle(Duration idle) {
            this.keepAliveIdle = Objects.requireNonNull(idle, "keepAliveIdle");
            return this;
        }

        /**
         * @param timeout {@code TCP_USER_TIMEOUT}, positive (applied by Lettuce with a native transport)
         * @return this builder
         */
        public Builder tcpUserTimeout(Duration timeout) {
            this.tcpUserTimeout = Objects.requireNonNull(timeout, "tcpUserTimeout");
            return this;
        }

        /**
         * @param retry interval between connection attempts until the first connection, positive
         * @return this builder
         */
        public Builder connectRetry(Duration retry) {
            this.connectRetry = Objects.requireNonNull(retry, "connectRetry");
            return this;
        }

        /**
         * @param cluster true when {@link #uri} is a seed node of a Redis Cluster
         * @return this builder
         */
        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * @param timeout timeout of each SCAN and UNLINK step of a pattern invalidation, positive
         * @return this builder
         */
        public Builder bulkCommandTimeout(Duration timeout) {
            this.bulkCommandTimeout = Objects.requireNonNull(timeout, "bulkCommandTimeout");
            return this;
        }

        /**
         * @param delay longest pause between reconnection attempts, at least 100 ms
         * @return this builder
         */
        public Builder maxReconnectDelay(Duration delay) {
            this.maxReconnectDelay = Objects.requireNonNull(delay, "maxReconnectDelay");
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public RedisTierConfig build() {
            String effective = sentinelMaster != null ? sentinelUri() : uri;
            if (!effective.startsWith("redis://") && !effective.startsWith("rediss://") && !isSentinel(effective)) {
                throw new IllegalArgumentException("uri must start with redis://, rediss://, redis-sentinel:// or "
                        + "rediss-sentinel://, was '" + redact(effective) + "'");
            }
            if (isSentinel(effective)) {
                int hash = effective.indexOf('#');
                if (hash < 0 || hash == effective.length() - 1) {
                    throw new IllegalArgumentException("uri: a Sentinel URI must name the master after '#' "
                            + "(redis-sentinel://host:port#mymaster), was '" + redact(effective) + "'");
                }
                if (cluster) {
                    throw new IllegalArgumentException("cluster: a Sentinel URI cannot be a Redis Cluster seed");
                }
            } else if (sentinelPassword != null) {
                throw new IllegalArgumentException("sentinelCredentials: set, but the uri is not a Sentinel URI");
            }
            boolean ssl = effective.startsWith("rediss://") || effective.startsWith("rediss-sentinel://");
            if (tls != null && !ssl) {
                throw new IllegalArgumentException("tls: set, but the uri does not use TLS (rediss:// or "
                        + "rediss-sentinel://): '" + redact(effective) + "'");
            }
            positive(commandTimeout, "commandTimeout");
            positive(connectTimeout, "connectTimeout");
            positive(tcpUserTimeout, "tcpUserTimeout");
            positive(connectRetry, "connectRetry");
            positive(bulkCommandTimeout, "bulkCommandTimeout");
            if (keepAliveIdle.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("keepAliveIdle must be at least 1s, was " + keepAliveIdle);
            }
            if (maxReconnectDelay.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("maxReconnectDelay must be at least 100ms, was " + maxReconnectDelay);
            }
            if (requestQueueSize < 16) {
                throw new IllegalArgumentException("requestQueueSize must be at least 16, was " + requestQueueSize);
            }
            if (scanCount < 10 || scanCount > 100_000) {
                throw new IllegalArgumentException("scanCount must be in [10, 100000], was " + scanCount);
            }
            if (unlinkBatch < 1 || unlinkBatch > 10_000) {
                throw new IllegalArgumentException("unlinkBatch must be in [1, 10000], was " + unlinkBatch);
            }
            return new RedisTierConfig(this, effective);
        }

        /** The Lettuce Sentinel URI from {@link #sentinel} and the optional base URI. */
        private String sentinelUri() {
            if (sentinelMaster == null || sentinelMaster.isBlank() || sentinelMaster.contains("#")) {
                throw new IllegalArgumentException("sentinel masterName must be a non-blank name, was '"
                        + sentinelMaster + "'");
            }
            if (sentinelNodes.isEmpty()) {
                throw new IllegalArgumentException("sentinel nodes must list at least one host:port");
            }
            String base = uri.isEmpty() ? "redis://" : uri;
            boolean ssl;
            if (base.startsWith("rediss://")) {
                ssl = true;
            } else if (base.startsWith("redis://")) {
                ssl = false;
            } else {
                throw new IllegalArgumentException("uri: with sentinel(...) the uri must be empty or a redis:// or "
                        + "rediss:// URI giving the data node's credentials and database, was '" + redact(base) + "'");
            }
            String rest = base.substring(ssl ? "rediss://".length() : "redis://".length());
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? "" : rest.substring(slash);
            int at = authority.lastIndexOf('@');
            String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
            List<String> nodes = new ArrayList<>();
            for (String node : sentinelNodes) {
                String n = node.trim();
                int colon = n.lastIndexOf(':');
                if (colon <= 0 || colon == n.length() - 1) {
                    throw new IllegalArgumentException("sentinel nodes must be host:port entries, was '" + n + "'");
                }
                try {
                    int port = Integer.parseInt(n.substring(colon + 1));
                    if (port < 1 || port > 65_535) {
                        throw new IllegalArgumentException("sentinel nodes: port out of range in '" + n + "'");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("sentinel nodes: bad port in '" + n + "'", e);
                }
                nodes.add(n);
            }
            return (ssl ? "rediss-sentinel://" : "redis-sentinel://") + userInfo + String.join(",", nodes) + path
                    + "#" + sentinelMaster;
        }

        private static void positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }
}
