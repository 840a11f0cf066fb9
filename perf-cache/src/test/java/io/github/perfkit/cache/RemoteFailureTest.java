package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.cache.codec.JsonCodec;
import io.github.perfkit.cache.spi.RemoteTier;
import io.github.perfkit.cache.spi.RemoteTierException;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Breaker and degraded behaviour against a scripted remote tier, on a fake clock. */
class RemoteFailureTest {

    /** An in-memory tier that can be switched to fail (with a timeout or an unexpected exception). */
    static final class ScriptedTier implements RemoteTier {
        final ConcurrentHashMap<String, byte[]> data = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile @Nullable RuntimeException failure;

        private void maybeFail() {
            calls.incrementAndGet();
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
        }

        @Override
        public byte @Nullable [] get(String key) {
            maybeFail();
            return data.get(key);
        }

        @Override
        public List<byte @Nullable []> getAll(List<String> keys) {
            maybeFail();
            return keys.stream().map(data::get).toList();
        }

        @Override
        public void set(String key, byte[] value, Duration ttl) {
            maybeFail();
            data.put(key, value);
        }

        @Override
        public boolean setIfUnchanged(String key, byte[] value, Duration ttl, byte @Nullable [] expected) {
            maybeFail();
            byte[] cur = data.get(key);
            if ((cur == null && expected == null) || (cur != null && expected != null && java.util.Arrays.equals(cur, expected))) {
                data.put(key, value);
                return true;
            }
            return false;
        }

        @Override
        public void delete(String key) {
            maybeFail();
            data.remove(key);
        }

        @Override
        public long deleteMatching(String pattern) {
            maybeFail();
            return 0;
        }

        @Override
        public void publish(String channel, String message) {
            maybeFail();
        }

        @Override
        public void subscribe(String channel, Subscriber subscriber) {
        }

        @Override
        public void close() {
        }
    }

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScriptedTier tier = new ScriptedTier();
    private final CacheManager manager = CacheManager.builder().registry(registry).clock(clock).remoteTier(tier)
            .breakerFailureThreshold(3).breakerOpenDuration(Duration.ofSeconds(5)).build();

    @Test
    void breakerOpensAfterConsecutiveFailuresProbesAndCloses() {
        MultilevelCache<String> cache = manager.cache("b", CacheConfig.builder().l1Enabled(false).build(),
                JsonCodec.of(String.class));
        tier.failure = new RemoteTierException("boom", true, null);
        for (int i = 0; i < 10; i++) {
            assertThat(cache.get("k", k -> "loaded")).isEqualTo("loaded");
        }
        assertThat(manager.remoteState()).isEqualTo("open");
        // 3 failures opened it; the remaining calls were rejected without touching the tier.
        assertThat(tier.calls).hasValue(3);
        assertThat(registry.get(MetricNames.L2_ERRORS).tag("type", "timeout").counter().count()).isEqualTo(3);
        assertThat(registry.get(MetricNames.L2_ERRORS).tag("type", "rejected").counter().count()).isGreaterThan(0);
        assertThat(registry.get(MetricNames.L2_BREAKER_STATE).gauge().value()).isEqualTo(1);

        clock.add(Duration.ofSeconds(6));
        // The half-open probe fails: open again, without a storm of calls.
        assertThat(cache.get("k", k -> "loaded")).isEqualTo("loaded");
        assertThat(manager.remoteState()).isEqualTo("open");
        assertThat(tier.calls).hasValue(4);

        tier.failure = null;
        clock.add(Duration.ofSeconds(6));
        assertThat(cache.get("k", k -> "loaded")).isEqualTo("loaded");
        assertThat(manager.remoteState()).isEqualTo("closed");
        assertThat(cache.get("k", k -> "other")).isEqualTo("loaded");
    }

    @Test
    void unexpectedTierExceptionsNeverReachCallers() {
        MultilevelCache<String> cache = manager.cache("u", CacheConfig.ofDefaults(), JsonCodec.of(String.class));
        tier.failure = new IllegalStateException("a broken tier");
        assertThat(cache.get("k", k -> "v")).isEqualTo("v");
        cache.put("p", "v");
        cache.evict("p");
        assertThat(cache.invalidatePattern("*")).isZero();
        cache.invalidateAll();
        assertThat(cache.getAll(List.of("a"), m -> java.util.Map.of("a", "1"))).containsEntry("a", "1");
        assertThat(registry.get(MetricNames.L2_ERRORS).tag("type", "failure").counter().count()).isGreaterThan(0);
    }

    /** A value whose constructor validates. */
    public record Positive(int n) {
        /** @param n must be positive */
        public Positive {
            if (n <= 0) {
                throw new IllegalArgumentException("n must be positive");
            }
        }
    }

    @Test
    void codecFailuresOfAnyKindAreCountedMissesNeverCallerErrors() {
        MultilevelCache<String> broken = manager.cache("broken", CacheConfig.ofDefaults(),
                new io.github.perfkit.cache.codec.Codec<String>() {
                    @Override
                    public byte[] encode(String value) {
                        throw new NullPointerException("user codec bug on encode");
                    }

                    @Override
                    public String decode(byte[] bytes) {
                        throw new NullPointerException("user codec bug on decode");
                    }
                });
        tier.data.put("perfkit:broken:k", new byte[] {1, 2, 3});
        assertThat(broken.get("k", k -> "loaded")).isEqualTo("loaded");
        assertThat(registry.get(MetricNames.CODEC_ERRORS).tag("cache", "broken").counter().count()).isEqualTo(2);

        MultilevelCache<Positive> validated = manager.cache("validated", CacheConfig.ofDefaults(),
                JsonCodec.of(Positive.class));
        tier.data.put("perfkit:validated:k", ("\u0001{\"t\":\"" + Positive.class.getName() + "\",\"v\":{\"n\":-1}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(validated.getIfPresent("k")).isNull();
        assertThat(tier.data).doesNotContainKey("perfkit:validated:k");
        assertThat(registry.get(MetricNames.CODEC_ERRORS).tag("cache", "validated").counter().count()).isEqualTo(1);
    }

    @Test
    void entriesWrittenWhileL2FailsGetTheShortDegradedTtl() {
        MultilevelCache<String> cache = manager.cache("d", CacheConfig.builder().l1Ttl(Duration.ofMinutes(5))
                .degradedL1Ttl(Duration.ofSeconds(10)).build(), JsonCodec.of(String.class));
        AtomicInteger loads = new AtomicInteger();
        cache.get("healthy", k -> "v" + loads.incrementAndGet());
        tier.failure = new RemoteTierException("down", false, null);
        cache.get("degraded", k -> "v" + loads.incrementAndGet());
        clock.add(Duration.ofSeconds(11));
        tier.failure = null;
        assertThat(cache.getIfPresent("healthy")).isEqualTo("v1");
        // Expired from L1 after the degraded TTL; not in L2 either (the failed read skipped the write).
        assertThat(cache.get("degraded", k -> "v" + loads.incrementAndGet())).isEqualTo("v3");
    }
}
