package io.github.perfkit.cache.redis;

import io.github.perfkit.cache.spi.RemoteTier;
import io.github.perfkit.cache.spi.RemoteTierException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.IOUringProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis remote tier through Lettuce, configured so Redis trouble never blocks callers: a
 * bounded request queue, commands rejected while disconnected, a short command timeout, TCP
 * keepalive and {@code TCP_USER_TIMEOUT}. Connects in the background, so the application starts
 * while Redis is down; reconnects by itself. Pattern deletes use {@code SCAN} and {@code UNLINK},
 * never {@code KEYS}; in a Redis Cluster ({@link RedisTierConfig#cluster()}) the scan visits every
 * master and multi-key deletes are split by slot. With a Sentinel URI ({@link RedisTierConfig#sentinel()}) the
 * master is looked up on the Sentinels, again on every reconnection (so after a failover); with TLS
 * ({@link RedisTierConfig#tls()}) the trust material, client key and verify mode apply to every node, Sentinels
 * included. Thread-safe.
 */
public final class RedisTier implements RemoteTier {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTier.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    /** Compare-and-set: SET only if the key still holds what the loader observed (ARGV[3], '' = absent). */
    private static final String SET_IF_UNCHANGED = "local cur = redis.call('GET', KEYS[1]) "
            + "if (cur == false and ARGV[3] == '') or cur == ARGV[3] then "
            + "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end return 0";
    private static final byte[] EMPTY = new byte[0];

    private final RedisTierConfig config;
    private volatile @Nullable String setIfUnchangedSha;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final ScheduledExecutorService connector;
    private final Map<String, Subscriber> subscriptions = new ConcurrentHashMap<>();
    private volatile @Nullable StatefulConnection<String, byte[]> connection;
    private volatile @Nullable RedisClusterCommands<String, byte[]> sync;
    private volatile @Nullable StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile boolean closed;
    private volatile @Nullable String lastConnectFailure;
    private volatile boolean connectFailureLogged;

    private RedisTier(RedisTierConfig config) {
        this.config = config;
        RedisURI uri = redisUri(config);
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                // Lettuce's default backoff grows to 30 s; recover within a couple of seconds instead.
                .reconnectDelay(() -> Delay.exponential(Duration.ofMillis(50), config.maxReconnectDelay(), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        ClientOptions.Builder optionsBuilder = ClientOptions.builder();
        RedisTls tls = config.tls();
        if (tls != null) {
            optionsBuilder.sslOptions(tls.toSslOptions());
        }
        ClientOptions options = optionsBuilder
                .autoReconnect(true)
                .requestQueueSize(config.requestQueueSize())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.builder().timeoutSource(new BulkAwareTimeout(config)).build())
                .socketOptions(socketOptions(config))
                .build();
        if (config.cluster()) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, uri);
            cluster.setOptions(ClusterClientOptions.builder(options).build());
            this.client = cluster;
        } else {
            RedisClient standalone = RedisClient.create(resources, uri);
            standalone.setOptions(options);
            this.client = standalone;
        }
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "perfkit-redis-connector");
            t.setDaemon(true);
            return t;
        });
        connector.execute(this::connect);
    }

    /** Lettuce's URI: Sentinel credentials on each Sentinel node, the TLS verify mode on every node. */
    private static RedisURI redisUri(RedisTierConfig config) {
        RedisURI uri = RedisURI.create(config.uri());
        uri.setTimeout(config.commandTimeout());
        RedisTls tls = config.tls();
        char[] sentinelPassword = config.sentinelPassword();
        for (RedisURI sentinel : uri.getSentinels()) {
            sentinel.setTimeout(config.connectTimeout());
            if (sentinelPassword != null) {
                String user = config.sentinelUsername();
                if (user != null && !user.isEmpty()) {
                    sentinel.setUsername(user);
                }
                sentinel.setPassword(sentinelPassword);
            }
            if (tls != null) {
                sentinel.setVerifyPeer(tls.verifyMode());
            }
        }
        if (tls != null) {
            uri.setVerifyPeer(tls.verifyMode());
        }
        return uri;
    }

    /**
     * The command timeout for reads and writes on the request path; the longer bulk timeout for the
     * SCAN and multi-key UNLINK steps of a pattern invalidation, which are not on a request's path.
     */
    private static final class BulkAwareTimeout extends TimeoutOptions.TimeoutSource {
        private final long commandNanos;
        private final long bulkNanos;

        BulkAwareTimeout(RedisTierConfig config) {
            this.commandNanos = config.commandTimeout().toNanos();
            this.bulkNanos = config.bulkCommandTimeout().toNanos();
        }

        @Override
        public long getTimeout(RedisCommand<?, ?, ?> command) {
            ProtocolKeyword type = command.getType();
            return type == CommandType.SCAN || type == CommandType.UNLINK ? bulkNanos : commandNanos;
        }

        @Override
        public TimeUnit getTimeUnit() {
            return TimeUnit.NANOSECONDS;
        }
    }

    private static SocketOptions socketOptions(RedisTierConfig config) {
        SocketOptions.Builder socket = SocketOptions.builder()
                .connectTimeout(config.connectTimeout())
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable()
                        .idle(config.keepAliveIdle()).interval(Duration.ofSeconds(1)).count(3).build());
        // TCP_USER_TIMEOUT needs a native transport (netty-transport-native-epoll or io_uring on the
        // class path); with NIO Lettuce would warn on every connection, so it is set only when usable.
        if (EpollProvider.isAvailable() || IOUringProvider.isAvailable()) {
            socket.tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder().enable()
                    .tcpUserTimeout(config.tcpUserTimeout()).build());
        } else {
            LOG.debug("no native transport: TCP_USER_TIMEOUT not set; command timeouts and the breaker "
                    + "detect a frozen Redis");
        }
        return socket.build();
    }

    /**
     * Creates the tier and starts connecting in the background.
     *
     * @param config the configuration
     * @return the tier
     */
    public static RedisTier create(RedisTierConfig config) {
        return new RedisTier(Objects.requireNonNull(config, "config"));
    }

    /**
     * Why the tier's last attempt to establish its connections failed, for diagnosis (e.g. a TLS handshake refused
     * because the server's certificate is not trusted); empty once connected or before the first attempt. Lettuce's
     * own reconnections after an established connection is lost are not reported here.
     *
     * @return the last connection failure
     */
    public Optional<String> lastConnectFailure() {
        return Optional.ofNullable(lastConnectFailure);
    }

    /** @return the configuration this tier was created with */
    public RedisTierConfig config() {
        return config;
    }

    /** @return whether the command connection is established and currently connected */
    public boolean isConnected() {
        StatefulConnection<String, byte[]> c = connection;
        return c != null && c.isOpen();
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            if (connection == null) {
                if (client instanceof RedisClusterClient cluster) {
                    StatefulRedisClusterConnection<String, byte[]> c = cluster.connect(CODEC);
                    c.setTimeout(config.commandTimeout());
                    sync = c.sync();
                    connection = c;
                } else {
                    StatefulRedisConnection<String, byte[]> c = ((RedisClient) client).connect(CODEC);
                    c.setTimeout(config.commandTimeout());
                    sync = c.sync();
                    connection = c;
                }
                LOG.info("connected to Redis{} at {}", config.cluster() ? " Cluster" : config.sentinel()
                        ? " (master found through Sentinel)" : "", RedisTierConfig.redact(config.uri()));
            }
            if (pubSub == null) {
                StatefulRedisPubSubConnection<String, String> p = client instanceof RedisClusterClient cluster
                        ? cluster.connectPubSub(StringCodec.UTF8)
                        : ((RedisClient) client).connectPubSub(StringCodec.UTF8);
                p.setTimeout(Duration.ofSeconds(2));
                p.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        Subscriber s = subscriptions.get(channel);
                        if (s != null) {
                            s.onMessage(message);
                        }
                    }

                    @Override
                    public void subscribed(String channel, long count) {
                        // Also called when Lettuce resubscribes after a reconnect.
                        Subscriber s = subscriptions.get(channel);
                        if (s != null) {
                            s.onSubscribed();
                        }
                    }
                });
                try {
                    if (!subscriptions.isEmpty()) {
                        p.sync().subscribe(subscriptions.keySet().toArray(String[]::new));
                    }
                } catch (RuntimeException e) {
                    p.closeAsync();
                    throw e;
                }
                pubSub = p;
            }
            lastConnectFailure = null;
        } catch (RuntimeException e) {
            String failure = describe(e);
            lastConnectFailure = failure;
            if (failure.startsWith("TLS") && !connectFailureLogged) {
                // Not transient like a Redis that is still starting: say it once, loudly.
                connectFailureLogged = true;
                LOG.warn("Redis at {}: {}; the cache serves from L1 and retries", RedisTierConfig.redact(config.uri()),
                        failure);
            }
            LOG.debug("Redis at {} not reachable yet; retrying", RedisTierConfig.redact(config.uri()), e);
            if (!closed) {
                connector.schedule(this::connect, config.connectRetry().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The root cause of a failed connection in one line; TLS failures start with "TLS". */
    private static String describe(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof SSLException) {
                Throwable root = t;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                String rootMessage = String.valueOf(root.getMessage());
                return "TLS handshake failed: " + t.getMessage()
                        + (root == t || String.valueOf(t.getMessage()).contains(rootMessage) ? "" : " (" + rootMessage + ")")
                        + " — check the trust material (RedisTls), the client key and the peer verification mode";
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getMessage() + (root == e ? "" : " (" + root + ")");
    }

    private RedisClusterCommands<String, byte[]> commands() {
        RedisClusterCommands<String, byte[]> c = sync;
        if (c == null || closed) {
            throw new RemoteTierException("not connected to Redis", false, null);
        }
        return c;
    }

    private static RemoteTierException wrap(String op, RuntimeException e) {
        if (e instanceof RemoteTierException rte) {
            return rte;
        }
        boolean timeout = e instanceof RedisCommandTimeoutException;
        return new RemoteTierException("Redis " + op + " failed: " + e.getMessage(), timeout, e);
    }

    @Override
    public byte @Nullable [] get(String key) {
        try {
            return commands().get(key);
        } catch (RuntimeException e) {
            throw wrap("GET", e);
        }
    }

    @Override
    public List<byte @Nullable []> getAll(List<String> keys) {
        try {
            List<KeyValue<String, byte[]>> values = commands().mget(keys.toArray(String[]::new));
            List<byte @Nullable []> out = new ArrayList<>(values.size());
            for (KeyValue<String, byte[]> kv : values) {
                out.add(kv.hasValue() ? kv.getValue() : null);
            }
            return out;
        } catch (RuntimeException e) {
            throw wrap("MGET", e);
        }
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        try {
            commands().set(key, value, SetArgs.Builder.px(Math.max(1, ttl.toMillis())));
        } catch (RuntimeException e) {
            throw wrap("SET", e);
        }
    }

    @Override
    public boolean setIfUnchanged(String key, byte[] value, Duration ttl, byte @Nullable [] expected) {
        try {
            RedisClusterCommands<String, byte[]> cmd = commands();
            byte[] px = Long.toString(Math.max(1, ttl.toMillis())).getBytes(StandardCharsets.US_ASCII);
            byte[] exp = expected == null ? EMPTY : expected;
            String sha = setIfUnchangedSha;
            Long written;
            if (sha != null) {
                try {
                    written = cmd.evalsha(sha, ScriptOutputType.INTEGER, new String[] {key}, value, px, exp);
                    return written != null && written == 1L;
                } catch (RedisNoScriptException e) {
                    // The server lost its script cache (restart): fall through to EVAL.
                }
            }
            written = cmd.eval(SET_IF_UNCHANGED, ScriptOutputType.INTEGER, new String[] {key}, value, px, exp);
            setIfUnchangedSha = cmd.digest(SET_IF_UNCHANGED);
            return written != null && written == 1L;
        } catch (RuntimeException e) {
            throw wrap("EVAL", e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            commands().del(key);
        } catch (RuntimeException e) {
            throw wrap("DEL", e);
        }
    }

    @Override
    public long deleteMatching(String pattern) {
        try {
            RedisClusterCommands<String, byte[]> cmd = commands();
            ScanArgs args = ScanArgs.Builder.matches(pattern).limit(config.scanCount());
            List<String> batch = new ArrayList<>(config.unlinkBatch());
            long deleted = 0;
            KeyScanCursor<String> cursor = cmd.scan(args);
            while (true) {
                for (String key : cursor.getKeys()) {
                    batch.add(key);
                    if (batch.size() >= config.unlinkBatch()) {
                        deleted += cmd.unlink(batch.toArray(String[]::new));
                        batch.clear();
                    }
                }
                if (cursor.isFinished()) {
                    break;
                }
                // Pass the cursor object itself: in a cluster it also tracks which master is being scanned.
                cursor = cmd.scan(cursor, args);
            }
            if (!batch.isEmpty()) {
                deleted += cmd.unlink(batch.toArray(String[]::new));
            }
            return deleted;
        } catch (RuntimeException e) {
            throw wrap("SCAN/UNLINK", e);
        }
    }

    @Override
    public void publish(String channel, String message) {
        try {
            commands().publish(channel, message.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw wrap("PUBLISH", e);
        }
    }

    @Override
    public void subscribe(String channel, Subscriber subscriber) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(subscriber, "subscriber");
        if (subscriptions.putIfAbsent(channel, subscriber) != null) {
            throw new IllegalStateException("already subscribed to " + channel);
        }
        StatefulRedisPubSubConnection<String, String> p = pubSub;
        if (p != null) {
            connector.execute(() -> {
                try {
                    p.sync().subscribe(channel);
                } catch (RuntimeException e) {
                    // Lettuce resubscribes every registered channel when it reconnects.
                    LOG.warn("could not subscribe to {} yet: {}", channel, e.toString());
                }
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        try {
            StatefulRedisPubSubConnection<String, String> p = pubSub;
            if (p != null) {
                p.close();
            }
            StatefulConnection<String, byte[]> c = connection;
            if (c != null) {
                c.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.warn("error while closing the Redis tier: {}", e.toString());
        }
    }
}
