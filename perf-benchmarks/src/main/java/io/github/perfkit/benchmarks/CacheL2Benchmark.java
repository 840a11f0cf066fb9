package io.github.perfkit.benchmarks;

import io.github.perfkit.cache.CacheConfig;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.MultilevelCache;
import io.github.perfkit.cache.codec.JsonCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An L2 hit through Perfkit's multilevel cache (L1 disabled, so every read goes to Redis) against
 * a raw Lettuce sync {@code GET} of the same key plus the same decode, on the same real redis-server
 * in one run. Target: Perfkit ≤ 1.15× {@code lettuceGetAndDecode}.
 *
 * <p>Like for like: both read the same stored bytes (Perfkit's one-byte header + the JSON envelope)
 * over one connection each to the same server, and both decode them with the same {@link JsonCodec};
 * {@code lettuceGet} (no decode) shows the network round trip alone. The redis-server is started in
 * {@link #setUp()} on a free loopback port: the one on PATH, else the binary shipped in embedded-redis.
 *
 * <p>Run (nothing else running on the machine):
 * <pre>
 * ./mvnw -q -pl perf-benchmarks -am package -DskipTests
 * java -jar perf-benchmarks/target/benchmarks.jar CacheL2Benchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class CacheL2Benchmark {

    private static final int KEYS = 1_024;

    /** The cached value: a small record, as an application would cache. */
    public record User(long id, String name, String email) {
    }

    private Process redis;
    private CacheManager manager;
    private MultilevelCache<User> perfkit;
    private RedisClient client;
    private StatefulRedisConnection<String, byte[]> connection;
    private RedisCommands<String, byte[]> lettuce;
    private JsonCodec<User> codec;
    private String[] keys;
    private String[] fullKeys;
    private String[] rawKeys;
    private int next;

    @Setup
    public void setUp() throws Exception {
        int port = freePort();
        redis = startRedis(port);
        String uri = "redis://127.0.0.1:" + port;
        codec = JsonCodec.of(User.class);
        RedisTier tier = RedisTier.create(RedisTierConfig.builder().uri(uri).build());
        manager = CacheManager.builder().registry(new SimpleMeterRegistry()).keyPrefix("bench").remoteTier(tier).build();
        perfkit = manager.cache("users", CacheConfig.builder().l1Enabled(false).l2TtlJitter(0)
                .l2Ttl(Duration.ofHours(1)).build(), codec);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!tier.isConnected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Perfkit's Redis tier did not connect to " + uri);
            }
            Thread.sleep(10);
        }
        client = RedisClient.create(uri);
        connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        lettuce = connection.sync();
        keys = new String[KEYS];
        fullKeys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "user:" + i;
            fullKeys[i] = "bench:users:" + keys[i];
            perfkit.put(keys[i], new User(i, "User " + i, "user" + i + "@example.com"));
        }
        // Perfkit writes to Redis without making the caller wait: give the writes a moment to land.
        long written = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lettuce.get(fullKeys[KEYS - 1]) == null && System.nanoTime() < written) {
            Thread.sleep(10);
        }
        for (int i = 0; i < KEYS; i++) {
            if (lettuce.get(fullKeys[i]) == null) {
                throw new IllegalStateException("Perfkit did not write " + fullKeys[i] + " to Redis");
            }
        }
        // The raw peer's values: the same JSON, without Perfkit's envelope (TTL header), under keys of their own.
        rawKeys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            rawKeys[i] = "raw:" + fullKeys[i];
            lettuce.set(rawKeys[i], codec.encode(new User(i, "User " + i, "user" + i + "@example.com")));
        }
        if (perfkit.getIfPresent(keys[0]) == null || perfkit.stats().l2Hits() != 1) {
            throw new IllegalStateException("the Perfkit read is not an L2 hit");
        }
    }

    @TearDown
    public void tearDown() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (manager != null) {
            manager.close();
        }
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    @Benchmark
    public User perfkitL2Hit() {
        return perfkit.getIfPresent(keys[next++ & (KEYS - 1)]);
    }

    @Benchmark
    public User lettuceGetAndDecode() {
        // The same value and the same codec as Perfkit's read, without its envelope.
        return codec.decode(lettuce.get(rawKeys[next++ & (KEYS - 1)]));
    }

    @Benchmark
    public byte[] lettuceGet() {
        return lettuce.get(fullKeys[next++ & (KEYS - 1)]);
    }

    // ---- a real redis-server for the run

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process startRedis(int port) throws IOException, InterruptedException {
        Path bin = onPath();
        if (bin == null) {
            bin = extractShipped();
        }
        Process p = new ProcessBuilder(bin.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ping(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-server " + bin + " did not start on port " + port);
            }
            Thread.sleep(10);
        }
        return p;
    }

    private static boolean ping(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buf = new byte[7];
            int n = s.getInputStream().read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static Path onPath() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static Path extractShipped() throws IOException {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String resource;
        if (os.contains("linux")) {
            resource = arch.contains("aarch64") || arch.contains("arm64") ? "redis-server-6.2.7-linux-arm64"
                    : "redis-server-6.2.6-v5-linux-amd64";
        } else if (os.contains("mac")) {
            resource = arch.contains("aarch64") ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        } else {
            throw new IllegalStateException("no redis-server on PATH and no shipped binary for " + os + "/" + arch);
        }
        Path target = Files.createTempFile("perfkit-bench-redis", "");
        target.toFile().deleteOnExit();
        try (InputStream in = CacheL2Benchmark.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on PATH and " + resource + " not on the class path");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!target.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + target + " executable");
        }
        return target;
    }
}
