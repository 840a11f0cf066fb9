package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Perf;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/** The L1-only default: no remote tier configured. */
class L1CacheTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockClock clock = new MockClock();
    private final CacheManager manager = CacheManager.builder().registry(registry).clock(clock).build();

    @Test
    void readThroughLoadsOnceThenServesL1() {
        MultilevelCache<String> cache = manager.localCache("users", CacheConfig.ofDefaults());
        AtomicInteger calls = new AtomicInteger();
        assertThat(cache.get("u:1", k -> "v" + calls.incrementAndGet())).isEqualTo("v1");
        assertThat(cache.get("u:1", k -> "v" + calls.incrementAndGet())).isEqualTo("v1");
        assertThat(cache.getIfPresent("u:1")).isEqualTo("v1");
        assertThat(calls).hasValue(1);
        assertThat(manager.hasRemoteTier()).isFalse();
        assertThat(registry.get(MetricNames.GETS).tags("cache", "users", "level", "l1", "result", "hit").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get(MetricNames.GETS).tags("cache", "users", "level", "l1", "result", "miss").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get(MetricNames.LOADS).tags("cache", "users", "result", "success").timer().count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.SIZE).tags("cache", "users").gauge().value()).isEqualTo(1);
    }

    @Test
    void l1EntriesExpireAfterTheirTtlOnTheClock() {
        MultilevelCache<String> cache = manager.localCache("ttl", CacheConfig.builder()
                .l1Ttl(Duration.ofSeconds(10)).nullTtl(Duration.ofSeconds(2)).build());
        cache.put("a", "1");
        assertThat(cache.get("missing", k -> null)).isNull();
        clock.add(Duration.ofSeconds(3));
        assertThat(cache.getIfPresent("a")).isEqualTo("1");
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.get("missing", k -> {
            loads.incrementAndGet();
            return "now";
        })).isEqualTo("now");
        assertThat(loads).hasValue(1);
        clock.add(Duration.ofSeconds(8));
        assertThat(cache.getIfPresent("a")).isNull();
        assertThat(registry.get(MetricNames.PUTS).tags("cache", "ttl").counter().count()).isEqualTo(1);
    }

    @Test
    void perEntryTtlShortensL1Lifetime() {
        MultilevelCache<String> cache = manager.localCache("perentry", CacheConfig.builder()
                .l1Ttl(Duration.ofSeconds(10)).build());
        assertThat(cache.get("short", Duration.ofSeconds(2), k -> "s")).isEqualTo("s");
        cache.put("put", "p", Duration.ofSeconds(3));
        cache.put("long", "l", Duration.ofHours(1));
        clock.add(Duration.ofMillis(2_500));
        assertThat(cache.getIfPresent("short")).isNull();
        assertThat(cache.getIfPresent("put")).isEqualTo("p");
        clock.add(Duration.ofSeconds(1));
        assertThat(cache.getIfPresent("put")).isNull();
        // Capped by the configured L1 TTL.
        assertThat(cache.getIfPresent("long")).isEqualTo("l");
        clock.add(Duration.ofSeconds(7));
        assertThat(cache.getIfPresent("long")).isNull();
        assertThatThrownBy(() -> cache.put("x", "x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullResultsAreCachedUnlessDisabled() {
        MultilevelCache<String> cache = manager.localCache("nulls", CacheConfig.ofDefaults());
        AtomicInteger calls = new AtomicInteger();
        cache.get("x", k -> {
            calls.incrementAndGet();
            return null;
        });
        cache.get("x", k -> {
            calls.incrementAndGet();
            return null;
        });
        assertThat(calls).hasValue(1);

        MultilevelCache<String> noNulls = manager.localCache("nonulls", CacheConfig.builder().cacheNulls(false).build());
        noNulls.get("x", k -> {
            calls.incrementAndGet();
            return null;
        });
        noNulls.get("x", k -> {
            calls.incrementAndGet();
            return null;
        });
        assertThat(calls).hasValue(3);
    }

    @Test
    void sixteenConcurrentMissesCallTheLoaderOnce() throws Exception {
        MultilevelCache<String> cache = manager.localCache("flight", CacheConfig.ofDefaults());
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CyclicBarrier start = new CyclicBarrier(16);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return cache.get("hot", k -> {
                        calls.incrementAndGet();
                        try {
                            release.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return "value";
                    });
                }));
            }
            // Let every thread reach the cache before the single load completes.
            Thread.sleep(200);
            release.countDown();
            for (Future<String> f : results) {
                assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("value");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void loaderExceptionsReachEveryWaiterAndNothingIsCached() {
        MultilevelCache<String> cache = manager.localCache("failing", CacheConfig.ofDefaults());
        assertThatThrownBy(() -> cache.get("k", k -> {
            throw new IllegalStateException("db down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("db down");
        assertThat(cache.getIfPresent("k")).isNull();
        assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }

    @Test
    void anInvalidationDuringALoadWinsTheLoadedValueIsReturnedButNotStored() throws Exception {
        MultilevelCache<String> cache = manager.localCache("race", CacheConfig.ofDefaults());
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch evicted = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> f = pool.submit(() -> cache.get("k", k -> {
                loading.countDown();
                try {
                    evicted.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "stale";
            }));
            assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
            cache.evict("k");
            evicted.countDown();
            assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("stale");
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.getIfPresent("k")).isNull();
        assertThat(cache.get("k", k -> "fresh")).isEqualTo("fresh");
    }

    @Test
    void aPatternInvalidationDuringALoadAlsoWins() throws Exception {
        MultilevelCache<String> cache = manager.localCache("race2", CacheConfig.ofDefaults());
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch invalidated = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> f = pool.submit(() -> cache.get("user:1", k -> {
                loading.countDown();
                try {
                    invalidated.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "stale";
            }));
            assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
            cache.invalidatePattern("user:*");
            invalidated.countDown();
            assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("stale");
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.getIfPresent("user:1")).isNull();
    }

    @Test
    void hammeringLoadsAndInvalidationsNeverReadAValueOlderThanTheLastInvalidation() throws Exception {
        MultilevelCache<Long> cache = manager.localCache("hammer", CacheConfig.ofDefaults());
        int keys = 4;
        AtomicLongArray source = new AtomicLongArray(keys);
        AtomicLongArray invalidatedAt = new AtomicLongArray(keys);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong violations = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                tasks.add(pool.submit(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        int k = i++ % keys;
                        long v = source.incrementAndGet(k);
                        cache.evict("k" + k);
                        invalidatedAt.accumulateAndGet(k, v, Math::max);
                    }
                }));
            }
            for (int r = 0; r < 4; r++) {
                tasks.add(pool.submit(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        int k = i++ % keys;
                        long floor = invalidatedAt.get(k);
                        Long got = cache.get("k" + k, key -> source.get(Integer.parseInt(key.substring(1))));
                        reads.incrementAndGet();
                        if (got == null || got < floor) {
                            violations.incrementAndGet();
                        }
                    }
                }));
            }
            Thread.sleep(1_000);
            stop.set(true);
            for (Future<?> t : tasks) {
                t.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads.get()).isGreaterThan(1_000);
        assertThat(violations).hasValue(0);
        for (int k = 0; k < keys; k++) {
            int key = k;
            assertThat(cache.get("k" + k, x -> source.get(key))).isEqualTo(source.get(k));
        }
    }

    @Test
    void putEvictInvalidateAllAndGetAll() {
        MultilevelCache<String> cache = manager.localCache("ops", CacheConfig.ofDefaults());
        cache.put("a", "1");
        cache.put("b", "2");
        AtomicInteger bulkCalls = new AtomicInteger();
        Map<String, String> all = cache.getAll(List.of("a", "b", "c", "d"), missing -> {
            bulkCalls.incrementAndGet();
            assertThat(missing).containsExactlyInAnyOrder("c", "d");
            return Map.of("c", "3");
        });
        assertThat(all).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"));
        // "d" was loaded as absent and cached as such.
        assertThat(cache.getAll(Set.of("c", "d"), m -> {
            bulkCalls.incrementAndGet();
            return Map.of();
        })).containsExactly(Map.entry("c", "3"));
        assertThat(bulkCalls).hasValue(1);
        cache.evict("a");
        assertThat(cache.getIfPresent("a")).isNull();
        cache.invalidateAll();
        assertThat(cache.getIfPresent("b")).isNull();
        assertThat(cache.stats().l1Size()).isZero();
        assertThat(registry.get(MetricNames.INVALIDATIONS).tags("cache", "ops", "type", "key").counter().count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.INVALIDATIONS).tags("cache", "ops", "type", "all").counter().count()).isEqualTo(1);
    }

    @Test
    void patternInvalidationRemovesOnlyMatchingL1Entries() {
        MultilevelCache<String> cache = manager.localCache("pattern", CacheConfig.ofDefaults());
        cache.put("user:42:profile", "p");
        cache.put("user:42:orders", "o");
        cache.put("user:420:profile", "other");
        cache.put("user:4*:x", "literal");
        cache.invalidatePatterns(List.of("user:42:*", "user:" + CacheKeys.escapeGlob("4*") + ":x"));
        assertThat(cache.getIfPresent("user:42:profile")).isNull();
        assertThat(cache.getIfPresent("user:42:orders")).isNull();
        assertThat(cache.getIfPresent("user:4*:x")).isNull();
        assertThat(cache.getIfPresent("user:420:profile")).isEqualTo("other");
    }

    @Test
    void invalidKeysAndPatternsGetClearErrors() {
        MultilevelCache<String> cache = manager.localCache("keys", CacheConfig.builder().maxKeyLength(10).build());
        assertThatThrownBy(() -> cache.get("x".repeat(11), k -> "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("11 characters").hasMessageContaining("10");
        assertThatThrownBy(() -> cache.put("a\nb", "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+000A at index 1");
        assertThatThrownBy(() -> cache.evict("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.invalidatePattern("*".repeat(CacheKeys.MAX_PATTERN_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pattern");
        assertThatThrownBy(() -> manager.localCache("Bad:Name", CacheConfig.ofDefaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad:Name");
        assertThatThrownBy(() -> manager.localCache("keys", CacheConfig.ofDefaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
    }

    @Test
    void hitPathValidatesOnlyOnMissesYetRejectsEveryInvalidKey() {
        // Keys are validated when stored, so a hit needs no scan; an invalid key can never hit and is
        // rejected on the miss path of every read method, and counts neither as a hit nor a miss.
        MultilevelCache<String> cache = manager.localCache("hitpath", CacheConfig.builder().maxKeyLength(10).build());
        cache.put("ok", "v");
        assertThat(cache.getIfPresent("ok")).isEqualTo("v");
        assertThat(cache.get("ok", k -> "other")).isEqualTo("v");
        assertThatThrownBy(() -> cache.getIfPresent("ok\u0000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0000 at index 2");
        assertThatThrownBy(() -> cache.get("x".repeat(11), k -> "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.getIfPresent("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.getAll(List.of("ok", "a\tb"), ks -> Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.getIfPresent(null)).isInstanceOf(NullPointerException.class);
        assertThat(cache.stats().l1Hits()).isEqualTo(2);
        assertThat(cache.stats().l1Misses()).isZero();
    }

    @Test
    void shortLivedEntriesExpireOnReadAndCountAsExpiredEvictions() {
        // Caffeine expires after the fixed L1 TTL; an entry with a shorter TTL carries its own deadline.
        MultilevelCache<String> cache = manager.localCache("shortlived", CacheConfig.builder()
                .l1Ttl(Duration.ofSeconds(10)).nullTtl(Duration.ofSeconds(1)).build());
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.get("absent", k -> {
            loads.incrementAndGet();
            return null;
        })).isNull();
        cache.put("short", "s", Duration.ofSeconds(2));
        cache.put("full", "f");
        clock.add(Duration.ofMillis(1_500));
        assertThat(cache.get("absent", k -> "now")).isEqualTo("now");
        assertThat(cache.getIfPresent("short")).isEqualTo("s");
        clock.add(Duration.ofSeconds(1));
        assertThat(cache.getIfPresent("short")).isNull();
        assertThat(cache.getAll(List.of("short", "full"), ks -> Map.of())).containsOnly(Map.entry("full", "f"));
        // "now", "full", and the absent marker getAll cached for "short".
        assertThat(cache.stats().l1Size()).isEqualTo(3);
        assertThat(registry.get(MetricNames.EVICTIONS).tags("cache", "shortlived", "cause", "expired").counter().count())
                .isEqualTo(2);
        assertThat(loads).hasValue(1);
    }

    @Test
    void refreshAheadReloadsAnAgingEntryInTheBackground() {
        CacheManager direct = CacheManager.builder().registry(registry).clock(clock).executor(Runnable::run).build();
        MultilevelCache<String> cache = direct.localCache("refresh", CacheConfig.builder()
                .l1Ttl(Duration.ofSeconds(10)).refreshAhead(0.5).build());
        AtomicInteger version = new AtomicInteger();
        assertThat(cache.get("k", k -> "v" + version.incrementAndGet())).isEqualTo("v1");
        clock.add(Duration.ofSeconds(4));
        assertThat(cache.get("k", k -> "v" + version.incrementAndGet())).isEqualTo("v1");
        assertThat(version).hasValue(1);
        clock.add(Duration.ofSeconds(2));
        // Served the current value, reloaded behind it (synchronously with this executor).
        assertThat(cache.get("k", k -> "v" + version.incrementAndGet())).isEqualTo("v1");
        assertThat(cache.getIfPresent("k")).isEqualTo("v2");
        clock.add(Duration.ofSeconds(9));
        assertThat(cache.getIfPresent("k")).isEqualTo("v2");
    }

    @Test
    void statusSectionOffersAPatternInvalidationAction() {
        try (Perf perf = Perf.builder().registry(registry).autoTick(false).systemMetrics(false).jvmMetrics(false).build()) {
            CacheManager withHub = CacheManager.builder().perf(perf).clock(clock).build();
            MultilevelCache<String> users = withHub.localCache("users", CacheConfig.ofDefaults());
            MultilevelCache<String> orders = withHub.localCache("orders", CacheConfig.ofDefaults());
            users.put("user:42:profile", "p");
            users.put("user:42:cart", "c");
            users.put("user:7:profile", "q");
            orders.put("user:42:last", "o");
            // As the servlet endpoints reach it: the contributor registered on the hub.
            var section = perf.contributors().stream().filter(c -> c.name().equals("cache")).findFirst().orElseThrow();
            assertThat(section.actions()).containsExactly("invalidate");
            Map<String, Object> result = section.act("invalidate", Map.of("cache", "users", "pattern", "user:42:*"));
            assertThat(result).containsEntry("action", "invalidate").containsEntry("cache", "users")
                    .containsEntry("pattern", "user:42:*").containsEntry("l2KeysRemoved", 0L);
            assertThat(users.getIfPresent("user:42:profile")).isNull();
            assertThat(users.getIfPresent("user:42:cart")).isNull();
            assertThat(users.getIfPresent("user:7:profile")).isEqualTo("q");
            assertThat(orders.getIfPresent("user:42:last")).as("another cache is untouched").isEqualTo("o");
            assertThat(registry.get(MetricNames.INVALIDATIONS).tags("cache", "users", "type", "pattern").counter().count())
                    .isEqualTo(1);

            assertThatThrownBy(() -> section.act("invalidate", Map.of("pattern", "*")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'cache'");
            assertThatThrownBy(() -> section.act("invalidate", Map.of("cache", "nope", "pattern", "*")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'cache'").hasMessageContaining("nope");
            assertThatThrownBy(() -> section.act("invalidate", Map.of("cache", "users")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pattern'");
            assertThatThrownBy(() -> section.act("invalidate", Map.of("cache", "users", "pattern", "a\nb")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pattern'")
                    .hasMessageContaining("control characters");
            assertThatThrownBy(() -> section.act("invalidate", Map.of("cache", "users",
                    "pattern", "x".repeat(CacheKeys.MAX_PATTERN_LENGTH + 1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pattern'");
            assertThatThrownBy(() -> section.act("flush", Map.of())).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("flush");
            assertThat(users.getIfPresent("user:7:profile")).as("failed actions changed nothing").isEqualTo("q");
            withHub.close();
        }
    }

    @Test
    void statusSectionShowsHitRatioPerLevel() {
        try (Perf perf = Perf.builder().registry(registry).autoTick(false).systemMetrics(false).jvmMetrics(false).build()) {
            CacheManager withHub = CacheManager.builder().perf(perf).clock(clock).build();
            MultilevelCache<String> cache = withHub.localCache("status", CacheConfig.ofDefaults());
            cache.get("a", k -> "1");
            cache.get("a", k -> "1");
            cache.get("a", k -> "1");
            cache.get("b", k -> "2");
            Map<String, Object> section = perf.statusSections().get("cache");
            assertThat(section).containsEntry("l2", "none");
            @SuppressWarnings("unchecked")
            Map<String, Object> stats = (Map<String, Object>) ((Map<String, Object>) section.get("caches")).get("status");
            assertThat(stats).containsEntry("l1HitRatio", 0.5).containsEntry("l1Size", 2L).containsEntry("loads", 2L);
            withHub.close();
            assertThat(perf.statusSections()).doesNotContainKey("cache");
        }
    }

    @Test
    void configValidationNamesTheBadField() {
        assertThatThrownBy(() -> CacheConfig.builder().l1Ttl(Duration.ofHours(2)).l2Ttl(Duration.ofHours(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("l1Ttl");
        assertThat(CacheConfig.builder().l1Ttl(Duration.ofHours(2)).l2Ttl(Duration.ofHours(1))
                .allowL1TtlAboveL2(true).build().l1Ttl()).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> CacheConfig.builder().l2TtlJitter(1.5).build()).hasMessageContaining("l2TtlJitter");
        assertThatThrownBy(() -> CacheConfig.builder().l1MaximumSize(0).build()).hasMessageContaining("l1MaximumSize");
        assertThatThrownBy(() -> CacheConfig.builder().refreshAhead(1).build()).hasMessageContaining("refreshAhead");
        assertThatThrownBy(() -> CacheConfig.builder().nullTtl(Duration.ZERO).build()).hasMessageContaining("nullTtl");
    }

    @Test
    void sizeBoundEvictsAndCountsEvictions() {
        MultilevelCache<Integer> cache = manager.localCache("bounded", CacheConfig.builder().l1MaximumSize(10).build());
        for (int i = 0; i < 100; i++) {
            cache.put("k" + i, i);
        }
        assertThat(cache.stats().l1Size()).isLessThanOrEqualTo(10);
        assertThat(registry.get(MetricNames.EVICTIONS).tags("cache", "bounded", "cause", "size").counter().count())
                .isGreaterThanOrEqualTo(90);
    }
}
