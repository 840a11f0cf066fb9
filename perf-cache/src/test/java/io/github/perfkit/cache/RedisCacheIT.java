package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.cache.codec.JsonCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.cache.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The multilevel cache against a real redis-server; two managers act as two nodes. */
class RedisCacheIT {

    private static final Logger LOG = LoggerFactory.getLogger(RedisCacheIT.class);

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    /** A value type for the JSON codec. */
    public record User(long id, String name) {
    }

    /** Counts instantiations: must never be created from planted payloads. */
    public static final class Gadget {
        static final AtomicInteger CREATED = new AtomicInteger();
        public String cmd = "";

        public Gadget() {
            CREATED.incrementAndGet();
        }
    }

    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, byte[]> admin;

    private final List<CacheManager> managers = new ArrayList<>();

    @BeforeAll
    static void connectAdmin() {
        LOG.info("redis-server binary: {}", RedisServer.binaryDescription());
        adminClient = RedisClient.create(REDIS.uri());
        admin = adminClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
        adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @BeforeEach
    void flush() {
        if (!REDIS.ping()) {
            REDIS.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                admin.sync().flushall();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        Gadget.CREATED.set(0);
    }

    @AfterEach
    void closeManagers() {
        managers.forEach(CacheManager::close);
    }

    private RedisCommands<String, byte[]> redis() {
        return admin.sync();
    }

    private CacheManager node(SimpleMeterRegistry registry, MockClock clock, int port) {
        RedisTier tier = RedisTier.create(RedisTierConfig.builder().uri("redis://127.0.0.1:" + port)
                // Functional tests: a timeout on a loaded 2-core CI must not turn a read into a miss here
                // (timeouts and the breaker are RedisResilienceIT's subject).
                .commandTimeout(Duration.ofSeconds(1)).connectRetry(Duration.ofMillis(100)).build());
        CacheManager.Builder b = CacheManager.builder().registry(registry).remoteTier(tier).keyPrefix("pk")
                .breakerFailureThreshold(3).breakerOpenDuration(Duration.ofMillis(200));
        if (clock != null) {
            b.clock(clock);
        }
        CacheManager m = b.build();
        managers.add(m);
        if (port == REDIS.port()) {
            await().atMost(Duration.ofSeconds(10)).until(tier::isConnected);
            // The invalidation subscription is established when the first (re)subscription clears L1.
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(MetricNames.L1_CLEARS)
                    .tag("reason", "resubscribed").counter().count() >= 1);
        }
        return m;
    }

    private CacheManager node(SimpleMeterRegistry registry) {
        return node(registry, null, REDIS.port());
    }

    private static CacheConfig config() {
        return CacheConfig.builder().l2TtlJitter(0).build();
    }

    @Test
    void readThroughFillsL2AndAnotherNodeReadsIt() {
        SimpleMeterRegistry ra = new SimpleMeterRegistry();
        SimpleMeterRegistry rb = new SimpleMeterRegistry();
        MultilevelCache<User> a = node(ra).cache("users", config(), JsonCodec.of(User.class));
        MultilevelCache<User> b = node(rb).cache("users", config(), JsonCodec.of(User.class));
        AtomicInteger loads = new AtomicInteger();
        assertThat(a.get("user:1", k -> {
            loads.incrementAndGet();
            return new User(1, "Ada");
        })).isEqualTo(new User(1, "Ada"));
        assertThat(redis().exists("pk:users:user:1")).isEqualTo(1);
        long pttl = redis().pttl("pk:users:user:1");
        assertThat(pttl).isBetween(CacheConfig.DEFAULT_L2_TTL.toMillis() - 5_000, CacheConfig.DEFAULT_L2_TTL.toMillis());
        assertThat(b.get("user:1", k -> {
            loads.incrementAndGet();
            return new User(1, "other");
        })).isEqualTo(new User(1, "Ada"));
        assertThat(loads).hasValue(1);
        assertThat(b.stats().l2Hits()).isEqualTo(1);
        assertThat(b.getIfPresent("user:1")).isEqualTo(new User(1, "Ada"));
        assertThat(b.stats().l1Hits()).isEqualTo(1);
        // Absent results are cached in L2 too, with the null TTL.
        assertThat(a.get("user:404", k -> null)).isNull();
        assertThat(redis().pttl("pk:users:user:404")).isBetween(1L, CacheConfig.DEFAULT_NULL_TTL.toMillis());
        assertThat(b.get("user:404", k -> {
            loads.incrementAndGet();
            return new User(404, "x");
        })).isNull();
        // A put on one node evicts the other node's stale L1 copy.
        a.put("user:1", new User(1, "Grace"));
        await().atMost(Duration.ofSeconds(2)).until(() -> b.stats().l1Size() == 1);
        assertThat(b.getIfPresent("user:1")).isEqualTo(new User(1, "Grace"));
        // A per-call TTL is the L2 TTL of what that call stores.
        a.get("user:ttl", Duration.ofSeconds(7), k -> new User(7, "short-lived"));
        assertThat(redis().pttl("pk:users:user:ttl")).isBetween(5_000L, 7_000L);
        // Bulk reads use one MGET.
        Map<String, User> all = b.getAll(List.of("user:1", "user:2"), missing -> Map.of("user:2", new User(2, "Bo")));
        assertThat(all).containsOnlyKeys("user:1", "user:2");
        assertThat(redis().exists("pk:users:user:2")).isEqualTo(1);
    }

    @Test
    void eachLevelExpiresOnItsOwnTtl() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        MultilevelCache<String> c = node(r, clock, REDIS.port()).cache("ttl", CacheConfig.builder()
                .l1Ttl(Duration.ofSeconds(1)).l2Ttl(Duration.ofSeconds(1)).l2TtlJitter(0).build(), JsonCodec.of(String.class));
        c.put("k", "v");
        clock.add(Duration.ofSeconds(2));
        // L1 expired on the fake clock; L2 (real time) still has it.
        assertThat(c.getIfPresent("k")).isEqualTo("v");
        assertThat(c.stats().l2Hits()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> redis().exists("pk:ttl:k") == 0);
        clock.add(Duration.ofSeconds(2));
        assertThat(c.getIfPresent("k")).isNull();
    }

    @Test
    void patternInvalidationClearsBothNodesAndOnlyThisCachesKeys() {
        SimpleMeterRegistry ra = new SimpleMeterRegistry();
        SimpleMeterRegistry rb = new SimpleMeterRegistry();
        CacheManager ma = node(ra);
        CacheManager mb = node(rb);
        MultilevelCache<String> a = ma.cache("users", config(), JsonCodec.of(String.class));
        MultilevelCache<String> b = mb.cache("users", config(), JsonCodec.of(String.class));
        MultilevelCache<String> other = ma.cache("orders", config(), JsonCodec.of(String.class));
        for (String k : List.of("user:42:profile", "user:42:orders", "user:43:profile")) {
            a.get(k, x -> "v-" + x);
            b.get(k, x -> "v-" + x);
        }
        other.put("user:42:profile", "order-side");
        assertThat(b.stats().l1Size()).isEqualTo(3);
        long start = System.nanoTime();
        long removed = a.invalidatePattern("user:42:*");
        assertThat(removed).isEqualTo(2);
        assertThat(a.stats().l1Size()).isEqualTo(1);
        await().atMost(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(2)).until(() -> b.stats().l1Size() == 1);
        LOG.info("pattern invalidation reached the other node's L1 in {} µs", (System.nanoTime() - start) / 1_000);
        assertThat(redis().exists("pk:users:user:42:profile", "pk:users:user:42:orders")).isZero();
        assertThat(redis().exists("pk:users:user:43:profile", "pk:orders:user:42:profile")).isEqualTo(2);
        assertThat(b.getIfPresent("user:43:profile")).isEqualTo("v-user:43:profile");
        // A glob in the cache part of a pattern cannot escape the namespace.
        a.invalidatePattern("*");
        assertThat(redis().exists("pk:orders:user:42:profile")).isEqualTo(1);
        // Plain evict broadcasts too.
        b.get("user:7", x -> "seven");
        a.evict("user:7");
        await().atMost(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(2)).until(() -> b.stats().l1Size() == 0);
        assertThat(rb.get(MetricNames.INVALIDATIONS).tags("cache", "users", "type", "remote").counter().count())
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    @org.junit.jupiter.api.Timeout(90)
    void invalidatesOneHundredThousandOfAMillionKeysWithScanWhileRedisStaysResponsive() throws Exception {
        MultilevelCache<String> c = node(new SimpleMeterRegistry()).cache("bulk", config(), JsonCodec.of(String.class));
        // Filled server side (a Lua loop per 100 000 keys): 1 000 000 keys, every tenth one matching.
        String fill = "for i = tonumber(ARGV[1]), tonumber(ARGV[2]) do "
                + "if i % 10 == 0 then redis.call('SET', 'pk:bulk:item:' .. i, 'v') "
                + "else redis.call('SET', 'pk:bulk:keep:' .. i, 'v') end end return 1";
        long fillStart = System.nanoTime();
        for (int from = 0; from < 1_000_000; from += 100_000) {
            redis().eval(fill, io.lettuce.core.ScriptOutputType.INTEGER, new String[0],
                    String.valueOf(from).getBytes(StandardCharsets.US_ASCII),
                    String.valueOf(from + 99_999).getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(redis().dbsize()).isEqualTo(1_000_000);
        LOG.info("filled 1000000 keys in {} ms", (System.nanoTime() - fillStart) / 1_000_000);
        // Server side: every command slower than 10 ms lands in the slow log.
        redis().configSet("slowlog-log-slower-than", "10000");
        redis().slowlogReset();
        redis().configResetstat();
        // A concurrent PING probe on its own connection shows Redis stays responsive (no KEYS-style stall).
        java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong worstPingMicros = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong pings = new java.util.concurrent.atomic.AtomicLong();
        RedisClient probeClient = RedisClient.create(REDIS.uri());
        StatefulRedisConnection<String, String> probe = probeClient.connect();
        Thread prober = new Thread(() -> {
            while (probing.get()) {
                long t0 = System.nanoTime();
                probe.sync().ping();
                worstPingMicros.accumulateAndGet((System.nanoTime() - t0) / 1_000, Math::max);
                pings.incrementAndGet();
            }
        });
        prober.start();
        long start = System.nanoTime();
        long removed;
        try {
            removed = c.invalidatePattern("item:*");
        } finally {
            probing.set(false);
            prober.join(5_000);
            probe.close();
            probeClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<Object> slow = redis().slowlogGet(128);
        long worstMicros = 0;
        List<String> slowCommands = new ArrayList<>();
        for (Object entry : slow) {
            List<?> e = (List<?>) entry;
            worstMicros = Math.max(worstMicros, (Long) e.get(2));
            Object args = e.get(3);
            slowCommands.add(e.get(2) + " µs " + (args instanceof List<?> l && !l.isEmpty()
                    ? (l.get(0) instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(l.get(0))) : "?"));
        }
        LOG.info("slow commands: {}", slowCommands);
        LOG.info("invalidated {} of 1000000 keys with SCAN+UNLINK in {} ms; PING probe: {} pings, slowest {} µs; "
                + "server commands of 10 ms or more: {} (slowest {} µs)", removed, millis, pings.get(),
                worstPingMicros.get(), slow.size(), worstMicros);
        assertThat(removed).isEqualTo(100_000);
        assertThat(millis).as("invalidation time").isLessThan(30_000);
        // 900 000 kept keys (plus the cache's pattern-invalidation epoch).
        assertThat(redis().dbsize() - redis().exists("pk:__epoch:bulk")).isEqualTo(900_000);
        assertThat(redis().exists("pk:bulk:item:10", "pk:bulk:item:999990")).isZero();
        assertThat(pings.get()).as("the probe was answered while the invalidation ran").isPositive();
        // Each step is small (SCAN COUNT 1000, UNLINK of 500 keys), never one blocking KEYS. Redis's own
        // per-command CPU time is the steady measure; wall-clock maxima (slow log, PING) also count the
        // time a preempted redis-server or JVM waits on a loaded 2-core CI, so their bounds are loose.
        Map<String, double[]> stats = commandStats(redis().info("commandstats"));
        LOG.info("server-side µs per call: SCAN {} over {} calls, UNLINK {} over {} calls",
                stats.getOrDefault("scan", new double[2])[1], stats.getOrDefault("scan", new double[2])[0],
                stats.getOrDefault("unlink", new double[2])[1], stats.getOrDefault("unlink", new double[2])[0]);
        assertThat(stats).doesNotContainKey("keys");
        assertThat(stats.get("scan")[0]).as("SCAN calls").isGreaterThanOrEqualTo(1_000);
        assertThat(stats.get("scan")[1]).as("µs per SCAN").isLessThan(10_000);
        assertThat(stats.get("unlink")[0]).as("UNLINK calls").isEqualTo(200);
        assertThat(stats.get("unlink")[1]).as("µs per UNLINK").isLessThan(10_000);
        assertThat(worstMicros).as("slowest server-side step (wall time)").isLessThan(1_000_000);
        assertThat(worstPingMicros.get()).as("slowest PING during the invalidation").isLessThan(2_000_000);
    }

    /** @return per command of INFO commandstats: {calls, µs per call} */
    private static Map<String, double[]> commandStats(String info) {
        Map<String, double[]> out = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String cmd = line.substring("cmdstat_".length(), line.indexOf(':'));
            double calls = 0;
            double perCall = 0;
            for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                String[] kv = field.split("=");
                if (kv[0].equals("calls")) {
                    calls = Double.parseDouble(kv[1]);
                } else if (kv[0].equals("usec_per_call")) {
                    perCall = Double.parseDouble(kv[1]);
                }
            }
            out.put(cmd, new double[] {calls, perCall});
        }
        return out;
    }

    @Test
    void plantedGadgetsAndJavaSerializationAreCountedMissesAndDeleted() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        MultilevelCache<User> c = node(r).cache("users", config(), JsonCodec.of(User.class));
        byte[] gadget = ("\u0001{\"t\":\"" + Gadget.class.getName() + "\",\"v\":{\"cmd\":\"x\"}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] url = "\u0001{\"t\":\"java.net.URL\",\"v\":\"http://example.com\"}".getBytes(StandardCharsets.UTF_8);
        byte[] atClass = ("\u0001{\"@class\":\"" + Gadget.class.getName() + "\",\"cmd\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] javaBlob = {(byte) 0xAC, (byte) 0xED, 0x00, 0x05, 0x73, 0x72, 0x00, 0x0c};
        byte[] headedBlob = {0x01, (byte) 0xAC, (byte) 0xED, 0x00, 0x05, 0x73, 0x72};
        byte[] corrupt = "\u0001{\"t\":\"".getBytes(StandardCharsets.UTF_8);
        List<byte[]> planted = List.of(gadget, url, atClass, javaBlob, headedBlob, corrupt);
        for (int i = 0; i < planted.size(); i++) {
            redis().set("pk:users:k" + i, planted.get(i));
        }
        for (int i = 0; i < planted.size(); i++) {
            assertThat(c.getIfPresent("k" + i)).as("planted %d", i).isNull();
            assertThat(redis().exists("pk:users:k" + i)).as("deleted %d", i).isZero();
        }
        redis().set("pk:users:loaded", gadget);
        assertThat(c.get("loaded", k -> new User(9, "fresh"))).isEqualTo(new User(9, "fresh"));
        assertThat(r.get(MetricNames.CODEC_ERRORS).tags("cache", "users").counter().count()).isEqualTo(planted.size() + 1);
        assertThat(Gadget.CREATED).hasValue(0);
    }

    @Test
    void malformedInvalidationMessagesClearL1AndAreCounted() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        MultilevelCache<String> c = node(r).cache("msgs", config(), JsonCodec.of(String.class));
        List<byte[]> messages = List.of(
                ("{\"@class\":\"" + Gadget.class.getName() + "\",\"cmd\":\"x\"}").getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xAC, (byte) 0xED, 0x00, 0x05, 0x73, 0x72},
                "v1|other-node|msgs|K|bad\u0001key".getBytes(StandardCharsets.UTF_8),
                "v1|other-node|msgs|X|k".getBytes(StandardCharsets.UTF_8));
        int n = 0;
        for (byte[] m : messages) {
            c.put("a", "1");
            c.put("b", "2");
            assertThat(c.stats().l1Size()).isEqualTo(2);
            redis().publish("pk:invalidation", m);
            n++;
            int expected = n;
            await().atMost(Duration.ofSeconds(2)).until(() -> c.stats().l1Size() == 0
                    && r.get(MetricNames.INVALIDATION_MESSAGES).tags("result", "malformed").counter().count() == expected);
        }
        assertThat(r.get(MetricNames.L1_CLEARS).tags("reason", "malformed").counter().count()).isEqualTo(4);
        assertThat(Gadget.CREATED).hasValue(0);
    }

    @Test
    void twoNodesHammeringLoadsAndEvictionsNeverReadAValueOlderThanTheLastEviction() throws Exception {
        MultilevelCache<Long> a = node(new SimpleMeterRegistry()).cache("race", config(), JsonCodec.of(Long.class));
        MultilevelCache<Long> b = node(new SimpleMeterRegistry()).cache("race", config(), JsonCodec.of(Long.class));
        int keys = 3;
        java.util.concurrent.atomic.AtomicLongArray source = new java.util.concurrent.atomic.AtomicLongArray(keys);
        java.util.concurrent.atomic.AtomicLongArray evictedAt = new java.util.concurrent.atomic.AtomicLongArray(keys);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong violations = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> tasks = new ArrayList<>();
        try {
            // The writer updates the source, then evicts through node A; readers on node B must never
            // see a value older than an eviction that completed before their read began, once node B
            // has received it (the channel is asynchronous, so B's floor trails by the message).
            tasks.add(pool.submit(() -> {
                int i = 0;
                while (!stop.get()) {
                    int k = i++ % keys;
                    long v = source.incrementAndGet(k);
                    a.evict("k" + k);
                    evictedAt.accumulateAndGet(k, v, Math::max);
                }
            }));
            for (int r = 0; r < 3; r++) {
                MultilevelCache<Long> node = r == 0 ? a : b;
                tasks.add(pool.submit(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        int k = i++ % keys;
                        long floor = evictedAt.get(k);
                        Long got = node.get("k" + k, key -> source.get(Integer.parseInt(key.substring(1))));
                        reads.incrementAndGet();
                        // Node A evicts synchronously (L1, then the L2 marker): its reads are never older.
                        if (node == a && (got == null || got < floor)) {
                            violations.incrementAndGet();
                        }
                    }
                }));
            }
            Thread.sleep(1_500);
        } finally {
            stop.set(true);
            for (var t : tasks) {
                t.get(10, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
        assertThat(reads.get()).isGreaterThan(100);
        // Once the dust settles, no node and no L2 entry holds a value older than the source.
        for (int k = 0; k < keys; k++) {
            long latest = source.get(k);
            int key = k;
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertThat(a.get("k" + key, x -> source.get(key))).isEqualTo(latest);
                assertThat(b.get("k" + key, x -> source.get(key))).isEqualTo(latest);
            });
        }
        assertThat(violations).hasValue(0);
    }

    @Test
    void killedPubSubConnectionClearsL1OnResubscribe() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        MultilevelCache<String> c = node(r).cache("pubsub", config(), JsonCodec.of(String.class));
        c.get("a", k -> "1");
        c.get("b", k -> "2");
        double before = r.get(MetricNames.L1_CLEARS).tags("reason", "resubscribed").counter().count();
        assertThat(c.stats().l1Size()).isEqualTo(2);
        Object killed = admin.sync().dispatch(io.lettuce.core.protocol.CommandType.CLIENT,
                new io.lettuce.core.output.IntegerOutput<>(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)),
                new io.lettuce.core.protocol.CommandArgs<>(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))
                        .add("KILL").add("TYPE").add("pubsub"));
        assertThat((Long) killed).isEqualTo(1L);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                r.get(MetricNames.L1_CLEARS).tags("reason", "resubscribed").counter().count() > before);
        assertThat(c.stats().l1Size()).isZero();
        // And invalidations flow again after the resubscription.
        SimpleMeterRegistry r2 = new SimpleMeterRegistry();
        MultilevelCache<String> other = node(r2).cache("pubsub", config(), JsonCodec.of(String.class));
        c.get("x", k -> "x");
        other.evict("x");
        await().atMost(Duration.ofSeconds(2)).until(() -> c.stats().l1Size() == 0);
    }

    /** A node's tier whose incoming invalidation messages can be held back (a slow pub/sub path). */
    private static final class LateMessagesTier implements io.github.perfkit.cache.spi.RemoteTier {
        private final RedisTier delegate;
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding;

        LateMessagesTier(RedisTier delegate) {
            this.delegate = delegate;
        }

        synchronized void hold() {
            holding = true;
        }

        void release() {
            List<Runnable> late;
            synchronized (this) {
                holding = false;
                late = new ArrayList<>(held);
                held.clear();
            }
            late.forEach(Runnable::run);
        }

        @Override
        public byte[] get(String key) {
            return delegate.get(key);
        }

        @Override
        public List<byte[]> getAll(List<String> keys) {
            return delegate.getAll(keys);
        }

        @Override
        public void set(String key, byte[] value, Duration ttl) {
            delegate.set(key, value, ttl);
        }

        @Override
        public boolean setIfUnchanged(String key, byte[] value, Duration ttl, byte[] expected) {
            return delegate.setIfUnchanged(key, value, ttl, expected);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }

        @Override
        public long deleteMatching(String pattern) {
            return delegate.deleteMatching(pattern);
        }

        @Override
        public void publish(String channel, String message) {
            delegate.publish(channel, message);
        }

        @Override
        public void subscribe(String channel, Subscriber subscriber) {
            delegate.subscribe(channel, new Subscriber() {
                @Override
                public void onMessage(String message) {
                    synchronized (LateMessagesTier.this) {
                        if (holding) {
                            held.add(() -> subscriber.onMessage(message));
                            return;
                        }
                    }
                    subscriber.onMessage(message);
                }

                @Override
                public void onSubscribed() {
                    subscriber.onSubscribed();
                }
            });
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @Test
    void patternInvalidationBeatsASlowLoadOnAnotherNodeEvenWhenItsMessageIsLate() throws Exception {
        MultilevelCache<String> a = node(new SimpleMeterRegistry()).cache("race", config(), JsonCodec.of(String.class));
        RedisTier redisTier = RedisTier.create(RedisTierConfig.builder().uri(REDIS.uri())
                .commandTimeout(Duration.ofMillis(500)).build());
        LateMessagesTier late = new LateMessagesTier(redisTier);
        SimpleMeterRegistry rb = new SimpleMeterRegistry();
        CacheManager nodeB = CacheManager.builder().registry(rb).remoteTier(late).keyPrefix("pk").build();
        managers.add(nodeB);
        await().atMost(Duration.ofSeconds(10)).until(redisTier::isConnected);
        await().atMost(Duration.ofSeconds(10)).until(() -> rb.find(MetricNames.L1_CLEARS)
                .tag("reason", "resubscribed").counter().count() >= 1);
        MultilevelCache<String> b = nodeB.cache("race", config(), JsonCodec.of(String.class));

        java.util.concurrent.atomic.AtomicReference<String> database = new java.util.concurrent.atomic.AtomicReference<>("old");
        java.util.concurrent.CountDownLatch loading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            // Node B misses everywhere and starts a slow load: it reads the database before the update.
            java.util.concurrent.Future<String> slow = pool.submit(() -> b.get("user:1", k -> {
                String seen = database.get();
                loading.countDown();
                try {
                    finish.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return seen;
            }));
            assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
            // The invalidation message reaches B only after its load has finished and written L2.
            late.hold();
            database.set("new");
            a.invalidatePattern("user:*");
            finish.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).as("the loading caller gets what it loaded").isEqualTo("old");
        } finally {
            pool.shutdownNow();
        }
        // B's write came after the SCAN+UNLINK, but it read the epoch before the invalidation: undone.
        byte[] raw = redis().get("pk:race:user:1");
        assertThat(raw).as("L2 after the race").isNotNull();
        assertThat(raw[0]).as("an invalidation marker, not the stale value").isEqualTo((byte) 2);
        assertThat(a.get("user:1", k -> database.get())).isEqualTo("new");
        late.release();
        await().atMost(Duration.ofSeconds(2)).until(() -> "new".equals(b.get("user:1", k -> database.get())));
    }

    @Test
    void patternInvalidationAlsoBeatsASlowBulkLoadOnAnotherNode() throws Exception {
        MultilevelCache<String> a = node(new SimpleMeterRegistry()).cache("bulkrace", config(), JsonCodec.of(String.class));
        RedisTier redisTier = RedisTier.create(RedisTierConfig.builder().uri(REDIS.uri())
                .commandTimeout(Duration.ofMillis(500)).build());
        LateMessagesTier late = new LateMessagesTier(redisTier);
        SimpleMeterRegistry rb = new SimpleMeterRegistry();
        CacheManager nodeB = CacheManager.builder().registry(rb).remoteTier(late).keyPrefix("pk").build();
        managers.add(nodeB);
        await().atMost(Duration.ofSeconds(10)).until(redisTier::isConnected);
        await().atMost(Duration.ofSeconds(10)).until(() -> rb.find(MetricNames.L1_CLEARS)
                .tag("reason", "resubscribed").counter().count() >= 1);
        MultilevelCache<String> b = nodeB.cache("bulkrace", config(), JsonCodec.of(String.class));
        java.util.concurrent.atomic.AtomicReference<String> database = new java.util.concurrent.atomic.AtomicReference<>("old");
        java.util.concurrent.CountDownLatch loading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Map<String, String>> slow = pool.submit(() -> b.getAll(List.of("u:1", "u:2"), keys -> {
                String seen = database.get();
                loading.countDown();
                try {
                    finish.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Map<String, String> m = new HashMap<>();
                keys.forEach(k -> m.put(k, seen));
                return m;
            }));
            assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
            late.hold();
            database.set("new");
            a.invalidatePattern("u:*");
            finish.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).containsEntry("u:1", "old").containsEntry("u:2", "old");
        } finally {
            pool.shutdownNow();
        }
        for (String k : List.of("u:1", "u:2")) {
            assertThat(redis().get("pk:bulkrace:" + k)[0]).as("marker for %s", k).isEqualTo((byte) 2);
            assertThat(a.get(k, x -> database.get())).isEqualTo("new");
        }
        late.release();
        await().atMost(Duration.ofSeconds(2)).until(() -> "new".equals(b.get("u:2", k -> database.get())));
    }

    @Test
    void evictionMarkerLivesForTheConfiguredTtl() {
        MultilevelCache<String> c = node(new SimpleMeterRegistry()).cache("marker", CacheConfig.builder()
                .l2TtlJitter(0).invalidationMarkerTtl(Duration.ofSeconds(3)).build(), JsonCodec.of(String.class));
        c.put("k", "v");
        assertThat(redis().pttl("pk:marker:k")).isGreaterThan(3_000L);
        c.evict("k");
        assertThat(redis().get("pk:marker:k")[0]).isEqualTo((byte) 2);
        assertThat(redis().pttl("pk:marker:k")).isBetween(1L, 3_000L);
        assertThat(c.get("k", k -> "reloaded")).isEqualTo("reloaded");
    }
}
