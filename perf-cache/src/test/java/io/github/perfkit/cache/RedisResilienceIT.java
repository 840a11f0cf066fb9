package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.cache.codec.JsonCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.cache.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Redis down, killed, paused and frozen: callers never see an error, the breaker opens and closes. */
class RedisResilienceIT {

    private static final Logger LOG = LoggerFactory.getLogger(RedisResilienceIT.class);

    private RedisServer server;
    private CacheManager manager;
    private RedisTier tier;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private MultilevelCache<String> cache(int port) {
        tier = RedisTier.create(RedisTierConfig.builder().uri("redis://127.0.0.1:" + port)
                .commandTimeout(Duration.ofMillis(100)).connectRetry(Duration.ofMillis(100))
                .maxReconnectDelay(Duration.ofMillis(500)).build());
        manager = CacheManager.builder().registry(registry).remoteTier(tier).keyPrefix("pk")
                .breakerFailureThreshold(3).breakerOpenDuration(Duration.ofMillis(200)).build();
        // L1 off: every read goes to L2, so the test exercises the remote path on each call.
        return manager.cache("res", CacheConfig.builder().l1Enabled(false).l2TtlJitter(0).build(), JsonCodec.of(String.class));
    }

    private double l2Errors() {
        return registry.find(MetricNames.L2_ERRORS).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** Reads {@code rounds} keys through the cache; returns the slowest call in ms. Fails on any exception. */
    private static long hammer(MultilevelCache<String> cache, int rounds) {
        long worst = 0;
        for (int i = 0; i < rounds; i++) {
            String key = "k" + (i % 10);
            long t0 = System.nanoTime();
            assertThat(cache.get(key, k -> "v-" + k)).isEqualTo("v-" + key);
            worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
        }
        return worst;
    }

    private void awaitHealthy(MultilevelCache<String> cache) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            hammer(cache, 5);
            return "closed".equals(manager.remoteState()) && tier.isConnected();
        });
    }

    @Test
    void redisKilledMidUseThenBack() {
        server = new RedisServer();
        server.start();
        MultilevelCache<String> cache = cache(server.port());
        await().atMost(Duration.ofSeconds(10)).until(tier::isConnected);
        hammer(cache, 50);
        assertThat(cache.stats().l2Hits()).isGreaterThan(0);
        server.stop();
        long worst = hammer(cache, 200);
        assertThat(manager.remoteState()).isIn("open", "half_open");
        assertThat(l2Errors()).isGreaterThanOrEqualTo(3);
        assertThat(registry.get(MetricNames.L2_ERRORS).tag("type", "rejected").counter().count()).isGreaterThan(0);
        LOG.info("Redis killed: slowest read {} ms, {} L2 errors counted", worst, l2Errors());
        assertThat(worst).isLessThan(1_000);
        server.start();
        awaitHealthy(cache);
        long hitsBefore = cache.stats().l2Hits();
        hammer(cache, 20);
        assertThat(cache.stats().l2Hits()).isGreaterThan(hitsBefore);
    }

    /** Outage length; CI uses 6 s to keep the module fast, {@code -Dperfkit.it.outageSeconds=60} runs the 60 s. */
    private static final int OUTAGE_SECONDS = Integer.getInteger("perfkit.it.outageSeconds", 6);
    private static final int QUEUE_BOUND = 64;

    @Test
    void outageUnderConcurrentLoadReachesNoCallerAndKeepsHeapAndLettuceQueueBounded() throws Exception {
        server = new RedisServer();
        server.start();
        tier = RedisTier.create(RedisTierConfig.builder().uri(server.uri())
                .commandTimeout(Duration.ofMillis(100)).connectRetry(Duration.ofMillis(100))
                .maxReconnectDelay(Duration.ofMillis(500)).requestQueueSize(QUEUE_BOUND).build());
        manager = CacheManager.builder().registry(registry).remoteTier(tier).keyPrefix("pk")
                .breakerFailureThreshold(3).breakerOpenDuration(Duration.ofMillis(200)).build();
        MultilevelCache<String> cache = manager.cache("res", CacheConfig.builder().l1Enabled(false).l2TtlJitter(0)
                .build(), JsonCodec.of(String.class));
        await().atMost(Duration.ofSeconds(10)).until(tier::isConnected);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        AtomicLong slowest = new AtomicLong();
        AtomicLong maxQueued = new AtomicLong();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        java.util.List<java.util.concurrent.Future<?>> tasks = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            tasks.add(pool.submit(() -> {
                int i = 0;
                while (!stop.get()) {
                    String key = "k" + (i++ % 100);
                    long t0 = System.nanoTime();
                    try {
                        if (!("v-" + key).equals(cache.get(key, k -> "v-" + k))) {
                            wrong.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                    slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    calls.incrementAndGet();
                }
            }));
        }
        // Samples what Lettuce holds: commands queued or in flight on the command connection.
        tasks.add(pool.submit(() -> {
            while (!stop.get()) {
                maxQueued.accumulateAndGet(LettuceQueue.size(tier), Math::max);
                Thread.sleep(5);
            }
            return null;
        }));
        long heapBefore;
        long heapAfter;
        try {
            Thread.sleep(1_000);
            heapBefore = usedHeapAfterGc();
            long outageStart = System.nanoTime();
            // First half frozen (SIGSTOP: the connection stays up, commands pile up and time out),
            // second half gone (SIGKILL: connection refused, commands rejected at once).
            server.signal("STOP");
            Thread.sleep(OUTAGE_SECONDS * 500L);
            assertThat(manager.remoteState()).isIn("open", "half_open");
            server.stop();
            Thread.sleep(OUTAGE_SECONDS * 500L);
            assertThat(manager.remoteState()).isIn("open", "half_open");
            long outageMillis = (System.nanoTime() - outageStart) / 1_000_000;
            server.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> "closed".equals(manager.remoteState()) && tier.isConnected());
            long callsBack = calls.get();
            long l2HitsBack = cache.stats().l2Hits();
            Thread.sleep(1_000);
            assertThat(calls.get()).as("calls after recovery").isGreaterThan(callsBack);
            assertThat(cache.stats().l2Hits()).as("L2 serves again").isGreaterThan(l2HitsBack);
            long[] after = new long[1];
            // Heap back within 10 % of before (at least 4 MB of slack: small heaps, GC granularity).
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                after[0] = usedHeapAfterGc();
                return after[0] <= Math.max(heapBefore * 1.10, heapBefore + 4_000_000L);
            });
            heapAfter = after[0];
            LOG.info("outage of {} ms under load: {} calls, {} errors to callers, slowest call {} ms, "
                    + "Lettuce queue max {} (bound {}), heap after GC {} -> {} bytes", outageMillis, calls.get(),
                    errors.get(), slowest.get(), maxQueued.get(), QUEUE_BOUND, heapBefore, heapAfter);
        } finally {
            stop.set(true);
            for (var f : tasks) {
                f.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
        assertThat(calls.get()).isGreaterThan(1_000);
        assertThat(errors).hasValue(0);
        assertThat(wrong).hasValue(0);
        // Bounded by the command timeout (100 ms) and the breaker, plus scheduling on a loaded CI.
        assertThat(slowest.get()).isLessThan(1_000);
        // Lettuce refuses a command once its sent-awaiting-reply stack holds requestQueueSize of them; the
        // sample may also catch one command per caller thread on its way through the endpoint.
        assertThat(maxQueued.get()).as("commands Lettuce held at once").isPositive()
                .isLessThanOrEqualTo(QUEUE_BOUND + 4);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Reads, by reflection on Lettuce 6 internals (test only), how many commands the tier's command
     * connection holds: queued in the endpoint, buffered while disconnected, and sent awaiting a reply.
     */
    private static final class LettuceQueue {
        static long size(RedisTier tier) throws ReflectiveOperationException {
            Object connection = field(tier, "connection");
            if (connection == null) {
                return 0;
            }
            Object writer = connection.getClass().getMethod("getChannelWriter").invoke(connection);
            while (!(writer instanceof io.lettuce.core.protocol.DefaultEndpoint)) {
                writer = field(writer, "delegate");
            }
            long n = (Integer) field(writer, "queueSize") + ((java.util.Collection<?>) field(writer, "disconnectedBuffer")).size();
            io.netty.channel.Channel channel = (io.netty.channel.Channel) field(writer, "channel");
            if (channel != null) {
                io.lettuce.core.protocol.CommandHandler handler = channel.pipeline().get(io.lettuce.core.protocol.CommandHandler.class);
                if (handler != null) {
                    n += handler.getStack().size();
                }
            }
            return n;
        }

        private static Object field(Object target, String name) throws ReflectiveOperationException {
            for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
                try {
                    java.lang.reflect.Field f = c.getDeclaredField(name);
                    f.setAccessible(true);
                    return f.get(target);
                } catch (NoSuchFieldException e) {
                    // look in the superclass
                }
            }
            throw new NoSuchFieldException(name + " in " + target.getClass());
        }
    }

    @Test
    void appStartsWhileRedisIsDownAndUsesItOnceUp() {
        int port = RedisServer.freePort();
        MultilevelCache<String> cache = cache(port);
        long worst = hammer(cache, 50);
        assertThat(worst).isLessThan(1_000);
        assertThat(tier.isConnected()).isFalse();
        assertThat(l2Errors()).isGreaterThan(0);
        server = new RedisServer(port);
        server.start();
        awaitHealthy(cache);
        // Subscribed after the late connection: the resubscription cleared L1 (none here) and was counted.
        await().atMost(Duration.ofSeconds(5)).until(() ->
                registry.get(MetricNames.L1_CLEARS).tag("reason", "resubscribed").counter().count() >= 1);
        cache.put("late", "value");
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().exists("pk:res:late")).isEqualTo(1);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void pausedRedisReadsReturnWithinTheTimeout() {
        server = new RedisServer();
        server.start();
        MultilevelCache<String> cache = cache(server.port());
        await().atMost(Duration.ofSeconds(10)).until(tier::isConnected);
        hammer(cache, 20);
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().clientPause(1_500);
            long worst = hammer(cache, 30);
            LOG.info("Redis paused: slowest read {} ms (command timeout 100 ms)", worst);
            assertThat(worst).isLessThan(500);
            assertThat(registry.get(MetricNames.L2_ERRORS).tag("type", "timeout").counter().count()).isGreaterThan(0);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        awaitHealthy(cache);
    }

    @Test
    void frozenRedisIsDetectedWithinTenSeconds() {
        server = new RedisServer();
        server.start();
        MultilevelCache<String> cache = cache(server.port());
        await().atMost(Duration.ofSeconds(10)).until(tier::isConnected);
        hammer(cache, 20);
        server.signal("STOP");
        AtomicLong worst = new AtomicLong();
        long start = System.nanoTime();
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                worst.accumulateAndGet(hammer(cache, 5), Math::max);
                return "open".equals(manager.remoteState()) || "half_open".equals(manager.remoteState());
            });
            LOG.info("Redis frozen (SIGSTOP): breaker open after {} ms, slowest read {} ms",
                    (System.nanoTime() - start) / 1_000_000, worst.get());
            assertThat(worst.get()).isLessThan(1_000);
        } finally {
            server.signal("CONT");
        }
        awaitHealthy(cache);
    }
}
