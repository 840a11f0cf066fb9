package io.github.perfkit.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.perfkit.cache.CacheConfig;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.MultilevelCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * An L1 hit through Perfkit's multilevel cache (L1-only cache, as every hit of a warm cache is)
 * against the same lookup in raw Caffeine caches of the same size, without and with a TTL, in one run.
 * The target is Perfkit ≤ 1.3× {@code caffeineWithTtlGetIfPresent} (the like-for-like peer) and 0 B/op.
 *
 * <p>Run (nothing else running on the machine):
 * <pre>
 * ./mvnw -q -pl perf-benchmarks -am package -DskipTests
 * java -jar perf-benchmarks/target/benchmarks.jar CacheBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class CacheBenchmark {

    private static final int KEYS = 1_024;

    private CacheManager manager;
    private MultilevelCache<String> perfkit;
    private Cache<String, String> caffeine;
    private Cache<String, String> caffeineWithTtl;
    private String[] keys;
    private int next;

    @Setup
    public void setUp() {
        manager = CacheManager.builder().registry(new SimpleMeterRegistry()).build();
        // Default TTLs: one L1 TTL (5 min), so Perfkit's L1 is a fixed expireAfterWrite Caffeine cache.
        perfkit = manager.localCache("bench", CacheConfig.builder().l1MaximumSize(10_000).build());
        // Like for like with Perfkit's L1: same size bound, hits and misses counted (recordStats: LongAdders,
        // as Perfkit's counters), maintenance run on the calling thread (Perfkit's L1 does so, so eviction
        // counts are exact), and - for the TTL peer - the same fixed expireAfterWrite, which reads the clock
        // on every hit as Perfkit's L1 does.
        caffeine = Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run).recordStats().build();
        caffeineWithTtl = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CacheConfig.DEFAULT_L1_TTL)
                .executor(Runnable::run).recordStats().build();
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "user:" + i;
            perfkit.put(keys[i], "value " + i);
            caffeine.put(keys[i], "value " + i);
            caffeineWithTtl.put(keys[i], "value " + i);
        }
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public String perfkitL1Hit() {
        return perfkit.getIfPresent(keys[next++ & (KEYS - 1)]);
    }

    @Benchmark
    public String perfkitL1HitReadThrough() {
        return perfkit.get(keys[next++ & (KEYS - 1)], k -> "loaded");
    }

    @Benchmark
    public String caffeineWithTtlGetIfPresent() {
        return caffeineWithTtl.getIfPresent(keys[next++ & (KEYS - 1)]);
    }

    @Benchmark
    public String caffeineGetIfPresent() {
        return caffeine.getIfPresent(keys[next++ & (KEYS - 1)]);
    }
}
