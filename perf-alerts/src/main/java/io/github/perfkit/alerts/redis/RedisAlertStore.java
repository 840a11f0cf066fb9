package io.github.perfkit.alerts.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AlertStore} in Redis through Lettuce: a claim is {@code SET <prefix>dedup:<key> <node> NX PX ttl};
 * the shared history is a list ({@code LPUSH} + {@code LTRIM}, asynchronous) of JSON events bounded to
 * {@code maxHistory}. Everything the engine calls during an evaluation is asynchronous (the connection
 * too), so the evaluation never waits on Redis; a claim that takes longer than {@code timeout} is
 * answered {@code true} by the engine (fail open: a slow Redis delays a notification by at most that);
 * failures are counted and logged once. The connection is made on first use and Lettuce reconnects by itself.
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
    private final RedisURI uri;
    private @Nullable CompletableFuture<StatefulRedisConnection<String, String>> connection;

    private RedisAlertStore(RedisURI uri, String prefix, int maxHistory, Duration timeout) {
        this.client = RedisClient.create(uri);
        this.uri = uri;
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

    /** The connection, made asynchronously on first use and again after a failed attempt. */
    private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
        synchronized (lock) {
            CompletableFuture<StatefulRedisConnection<String, String>> c = connection;
            if (c == null || c.isCompletedExceptionally()) {
                c = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture().thenApply(conn -> {
                    conn.setTimeout(timeout);
                    return conn;
                });
                connection = c;
            }
            return c;
        }
    }

    @Override
    public boolean claim(String key, Duration ttl) {
        try {
            return claimAsync(key, ttl).toCompletableFuture().get(timeout.toNanos() * 2, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (ExecutionException | TimeoutException e) {
            failed(e);
            return true;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns at once: the connection and the {@code SET NX PX} run on Lettuce's I/O threads; a failure
     * completes the stage with {@code true} (fail open) and is counted. The engine bounds the wait with
     * {@link #claimTimeout()}.
     */
    @Override
    public CompletionStage<Boolean> claimAsync(String key, Duration ttl) {
        String redisKey = prefix + "dedup:" + key;
        long px = Math.max(1, ttl.toMillis());
        return connection().thenCompose(c -> c.async().set(redisKey, node, SetArgs.Builder.nx().px(px)))
                .thenApply("OK"::equals)
                .exceptionally(e -> {
                    failed(e);
                    return true;
                });
    }

    /** @return the command timeout given at creation */
    @Override
    public Duration claimTimeout() {
        return timeout;
    }

    @Override
    public void append(AlertEvent event) {
        String json;
        try {
            json = EventCodec.encode(event);
        } catch (JsonProcessingException e) {
            failed(e);
            return;
        }
        connection().thenCompose(c -> {
            var async = c.async();
            async.lpush(prefix + "history", json);
            return async.ltrim(prefix + "history", 0, maxHistory - 1L);
        }).exceptionally(e -> {
            failed(e);
            return null;
        });
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
            StatefulRedisConnection<String, String> c = connection().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            for (String json : c.sync().lrange(prefix + "history", 0, Math.max(0, max - 1L))) {
                out.add(EventCodec.decode(json));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the Redis alert store", e);
        } catch (JsonProcessingException | ExecutionException | TimeoutException | RuntimeException e) {
            failed(e);
            throw new IllegalStateException("Redis alert store unavailable: " + e, e);
        }
        return out;
    }

    /** @return failed Redis operations */
    public long failures() {
        return failures.get();
    }

    private void failed(Throwable e) {
        failures.incrementAndGet();
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("Redis alert store failed ({}); claims fail open, further failures are counted only", e.toString());
        }
    }

    @Override
    public void close() {
        CompletableFuture<StatefulRedisConnection<String, String>> c;
        synchronized (lock) {
            c = connection;
            connection = null;
        }
        if (c != null) {
            c.thenAccept(StatefulRedisConnection::close);
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
