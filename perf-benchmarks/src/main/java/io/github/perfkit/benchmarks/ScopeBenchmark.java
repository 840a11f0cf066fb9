package io.github.perfkit.benchmarks;

import com.codahale.metrics.MetricRegistry;
import io.github.perfkit.core.Operation;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.PerformanceTracker;
import io.github.perfkit.core.Profiler;
import io.github.perfkit.core.Scope;
import io.github.perfkit.core.TrackerConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of timing one empty block: a Perfkit scope against its peers, all in one run.
 *
 * <ul>
 *   <li>{@code nanoTimeFloor}: two {@code System.nanoTime()} calls, the least any timer can cost;
 *   <li>{@code perfkitScope}: {@code try (var s = op.start()) {}} on a pre-resolved operation;
 *   <li>{@code perfkitScopeByName}: {@code tracker.start("name")};
 *   <li>{@code perfkitNestedScopeInRequest}: a scope nested in an open, profiled request;
 *   <li>{@code perfkitDisabled}: a scope while tracking is switched off;
 *   <li>{@code micrometerTimer}, {@code micrometerTimerPercentiles}: Micrometer {@code Timer.record},
 *       plain and with {@code publishPercentiles(0.5, 0.95, 0.99)} and {@code publishPercentileHistogram()};
 *   <li>{@code dropwizardTimer}: Dropwizard Metrics {@code Timer.time()} / {@code Context.close()}.
 * </ul>
 *
 * <p>The hubs keep their collection tick (it drains the scopes' buffers and samples the history)
 * but run without the system and JVM collectors: those allocate on the tick thread (about 1.4 MB/s,
 * mostly OSHI reading {@code /proc}), and {@code -prof gc} would charge that to whichever benchmark
 * is running, the peers included, as about 0.09 B/op.
 *
 * <p>Run (nothing else running on the machine):
 * <pre>
 * ./mvnw -q -pl perf-benchmarks -am package -DskipTests
 * java -jar perf-benchmarks/target/benchmarks.jar ScopeBenchmark -t 1 -prof gc
 * java -jar perf-benchmarks/target/benchmarks.jar ScopeBenchmark -t 2 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ScopeBenchmark {

    private static final Runnable EMPTY = () -> {};

    /** Shared by all benchmark threads, as one application's hub would be. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Shared {
        Perf perf;
        Perf disabledPerf;
        PerformanceTracker tracker;
        Profiler profiler;
        Operation op;
        Operation nested;
        Operation disabledOp;
        Timer micrometerPlain;
        Timer micrometerPercentiles;
        com.codahale.metrics.Timer dropwizard;

        @Setup
        public void setUp() {
            perf = Perf.builder()
                    .tracker(TrackerConfig.builder()
                            .samplingRate(0.0)
                            .slowRequestThreshold(Duration.ofHours(1))
                            .build())
                    .systemMetrics(false)
                    .jvmMetrics(false)
                    .build();
            tracker = perf.tracker();
            profiler = perf.profiler();
            op = tracker.operation("bench.scope");
            nested = tracker.operation("bench.nested");
            disabledPerf = Perf.builder()
                    .tracker(TrackerConfig.builder().enabled(false).build())
                    .systemMetrics(false)
                    .jvmMetrics(false)
                    .build();
            disabledOp = disabledPerf.tracker().operation("bench.disabled");

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            micrometerPlain = Timer.builder("bench.micrometer.plain").register(registry);
            micrometerPercentiles = Timer.builder("bench.micrometer.percentiles")
                    .publishPercentiles(0.5, 0.95, 0.99)
                    .publishPercentileHistogram()
                    .register(registry);
            dropwizard = new MetricRegistry().timer("bench.dropwizard");
        }

        @TearDown
        public void tearDown() {
            perf.close();
            disabledPerf.close();
        }
    }

    /** A request kept open on each benchmark thread; reopened every 200 nested scopes. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Request {
        Scope root;
        int scopes;

        @Setup(Level.Iteration)
        public void open(Shared shared) {
            root = shared.profiler.request("bench.request");
        }

        @TearDown(Level.Iteration)
        public void close() {
            root.close();
        }
    }

    @Benchmark
    public long nanoTimeFloor() {
        long start = System.nanoTime();
        return System.nanoTime() - start;
    }

    @Benchmark
    public void perfkitScope(Shared s) {
        try (Scope scope = s.op.start()) {
            // timed block
        }
    }

    @Benchmark
    public void perfkitScopeByName(Shared s) {
        try (Scope scope = s.tracker.start("bench.byname")) {
            // timed block
        }
    }

    @Benchmark
    public void perfkitNestedScopeInRequest(Shared s, Request r) {
        try (Scope scope = s.nested.start()) {
            // timed block
        }
        if (++r.scopes == 200) {
            r.scopes = 0;
            r.root.close();
            r.root = s.profiler.request("bench.request");
        }
    }

    @Benchmark
    public void perfkitDisabled(Shared s) {
        try (Scope scope = s.disabledOp.start()) {
            // timed block
        }
    }

    @Benchmark
    public void micrometerTimer(Shared s) {
        s.micrometerPlain.record(EMPTY);
    }

    @Benchmark
    public void micrometerTimerPercentiles(Shared s) {
        s.micrometerPercentiles.record(EMPTY);
    }

    @Benchmark
    public void dropwizardTimer(Shared s) {
        try (com.codahale.metrics.Timer.Context c = s.dropwizard.time()) {
            // timed block
        }
    }
}
