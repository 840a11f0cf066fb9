package io.github.perfkit.alerts.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AlertStore} in Redis through Lettuce: a claim is {@code SET <prefix>dedup:<key> <node> NX PX ttl};
 * the shared history is a list ({@code LPUSH} + {@code LTRIM}, asynchronous) of JSON events bounded to
 * {@code maxHistory}. Commands time out after {@code timeout} (default 200 ms) so a slow or absent Redis
 * delays an evaluation by at most that; failures are counted and logged once, claims then fail open.
 * The connection is made lazily and Lettuce reconnects by itself.
 *
 * <p>Thread-safe: the Lettuce connection is thread-safe.
 */
public final class RedisAlertStore implements AlertStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisAlertStore.class);

    private final RedisClient client;
    private final String prefix;
    private final int maxHistory;
    private final Duration timeout;
    private final String node = UUID.randomUUID().toString();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final Object lock = new Object();
    private @Nullable StatefulRedisConnection<String, String> connection;

    private RedisAlertStore(RedisURI uri, String prefix, int maxHistory, Duration timeout) {
        this.client = RedisClient.create(uri);
        this.prefix = prefix;
        this.maxHistory = maxHistory;
        this.timeout = timeout;
    }

    /**
     * Creates a store.
     *
     * @param redisUri e.g. {@code redis://localhost:6379}
     * @param keyPrefix prefix of every key, e.g. {@code perfkit:alerts:}
     * @param maxHistory events kept in the shared history, at least 1
     * @param timeout command timeout, positive
     * @return the store (connects on first use)
     */
    public static RedisAlertStore create(String redisUri, String keyPrefix, int maxHistory, Duration timeout) {
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(timeout, "timeout");
        if (maxHistory < 1) {
            throw new IllegalArgumentException("maxHistory must be at least 1, was " + maxHistory);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(timeout);
        return new RedisAlertStore(uri, keyPrefix, maxHistory, timeout);
    }

    private StatefulRedisConnection<String, String> connection() {
        synchronized (lock) {
            if (connection == null) {
                StatefulRedisConnection<String, String> c = client.connect();
                c.setTimeout(timeout);
                connection = c;
            }
            return connection;
        }
    }

    @Override
    public boolean claim(String key, Duration ttl) {
        try {
            String ok = connection().sync().set(prefix + "dedup:" + key, node,
                    SetArgs.Builder.nx().px(Math.max(1, ttl.toMillis())));
            return "OK".equals(ok);
        } catch (RuntimeException e) {
            failed(e);
            return true;
        }
    }

    @Override
    public void append(AlertEvent event) {
        try {
            String json = EventCodec.encode(event);
            var async = connection().async();
            async.lpush(prefix + "history", json);
            async.ltrim(prefix + "history", 0, maxHistory - 1L);
        } catch (JsonProcessingException | RuntimeException e) {
            failed(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if Redis cannot be read (the engine then answers its local history)
     */
    @Override
    public List<AlertEvent> recent(int max) {
        List<AlertEvent> out = new ArrayList<>();
        try {
            for (String json : connection().sync().lrange(prefix + "history", 0, Math.max(0, max - 1L))) {
                out.add(EventCodec.decode(json));
            }
        } catch (JsonProcessingException | RuntimeException e) {
            failed(e);
            throw new IllegalStateException("Redis alert store unavailable: " + e, e);
        }
        return out;
    }

    /** @return failed Redis operations */
    public long failures() {
        return failures.get();
    }

    private void failed(Exception e) {
        failures.incrementAndGet();
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("Redis alert store failed ({}); claims fail open, further failures are counted only", e.toString());
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
