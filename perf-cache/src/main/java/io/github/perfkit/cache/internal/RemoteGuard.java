package io.github.perfkit.cache.internal;

import io.github.perfkit.cache.MetricNames;
import io.github.perfkit.cache.spi.RemoteTier;
import io.github.perfkit.cache.spi.RemoteTierException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the remote tier through the circuit breaker; never throws: failures are counted, logged
 * rate-limited and reported as a sentinel. Thread-safe.
 */
public final class RemoteGuard {

    /** Returned by {@link #get} when the tier failed or the breaker rejected the call. */
    public static final byte[] FAILED = new byte[0];

    private static final Logger LOG = LoggerFactory.getLogger(RemoteGuard.class);

    private final RemoteTier tier;
    private final CircuitBreaker breaker;
    private final Counter timeouts;
    private final Counter failures;
    private final Counter rejected;
    private final RateLimitedLog log = new RateLimitedLog(LOG);

    /**
     * @param tier the remote tier
     * @param breaker the breaker
     * @param registry where to count errors
     */
    public RemoteGuard(RemoteTier tier, CircuitBreaker breaker, MeterRegistry registry) {
        this.tier = tier;
        this.breaker = breaker;
        this.timeouts = Counter.builder(MetricNames.L2_ERRORS).tag(MetricNames.TAG_TYPE, "timeout").register(registry);
        this.failures = Counter.builder(MetricNames.L2_ERRORS).tag(MetricNames.TAG_TYPE, "failure").register(registry);
        this.rejected = Counter.builder(MetricNames.L2_ERRORS).tag(MetricNames.TAG_TYPE, "rejected").register(registry);
        Gauge.builder(MetricNames.L2_BREAKER_STATE, breaker, b -> b.state().ordinal()).register(registry);
    }

    /** @return the breaker */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** @return the tier */
    public RemoteTier tier() {
        return tier;
    }

    /** @return whether L2 is currently failing (entries written to L1 now get the degraded TTL) */
    public boolean degraded() {
        return breaker.degraded();
    }

    /**
     * @param key full key
     * @return the bytes, null when absent, {@link #FAILED} on failure
     */
    public byte @Nullable [] get(String key) {
        return call("GET", () -> tier.get(key), FAILED);
    }

    /**
     * @param keys full keys
     * @return the values in order, or null on failure
     */
    public @Nullable List<byte @Nullable []> getAll(List<String> keys) {
        return call("MGET", () -> tier.getAll(keys), null);
    }

    /**
     * @param key full key
     * @param value bytes
     * @param ttl time to live
     * @return whether it was written
     */
    public boolean set(String key, byte[] value, Duration ttl) {
        return call("SET", () -> {
            tier.set(key, value, ttl);
            return Boolean.TRUE;
        }, Boolean.FALSE);
    }

    /**
     * @param key full key
     * @param value bytes
     * @param ttl time to live
     * @param expected bytes observed before loading, or null for absent
     * @return whether it was written
     */
    public boolean setIfUnchanged(String key, byte[] value, Duration ttl, byte @Nullable [] expected) {
        return call("SET-IF-UNCHANGED", () -> tier.setIfUnchanged(key, value, ttl, expected), Boolean.FALSE);
    }

    /**
     * @param key full key
     * @return whether it was deleted (or absent)
     */
    public boolean delete(String key) {
        return call("DEL", () -> {
            tier.delete(key);
            return Boolean.TRUE;
        }, Boolean.FALSE);
    }

    /**
     * @param pattern full pattern
     * @return keys deleted, or -1 on failure
     */
    public long deleteMatching(String pattern) {
        return call("SCAN/UNLINK", () -> tier.deleteMatching(pattern), -1L);
    }

    /**
     * @param channel the channel
     * @param message the message
     * @return whether it was published
     */
    public boolean publish(String channel, String message) {
        return call("PUBLISH", () -> {
            tier.publish(channel, message);
            return Boolean.TRUE;
        }, Boolean.FALSE);
    }

    private <T> T call(String op, Supplier<T> action, T onFailure) {
        if (!breaker.tryAcquire()) {
            rejected.increment();
            return onFailure;
        }
        try {
            T result = action.get();
            breaker.onSuccess();
            return result;
        } catch (RemoteTierException e) {
            breaker.onFailure();
            (e.timeout() ? timeouts : failures).increment();
            log.warn("L2 " + op + " failed; serving L1 and the loader", e);
            return onFailure;
        } catch (RuntimeException e) {
            // A tier that breaks its contract must still never reach the cache's callers.
            breaker.onFailure();
            failures.increment();
            log.warn("L2 " + op + " failed unexpectedly; serving L1 and the loader", e);
            return onFailure;
        }
    }
}
