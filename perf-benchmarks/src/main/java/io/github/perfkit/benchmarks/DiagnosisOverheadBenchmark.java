package io.github.perfkit.benchmarks;

import io.github.perfkit.core.findings.ContinuousDiagnosis;
import io.github.perfkit.core.findings.DiagnosisConfig;
import io.micrometer.core.instrument.Clock;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput cost of Perfkit's continuous diagnosis (live JFR stream: CPU samples every 20 ms,
 * allocation samples, locks above 20 ms, analysed per window) on a CPU-bound workload that also
 * allocates: sorting a fresh array of 4 096 random ints. {@code diagnosis=false} is the same JVM
 * without any recording.
 *
 * <p>Run (nothing else running on the machine):
 * <pre>
 * ./mvnw -q -pl perf-benchmarks -am package -DskipTests
 * java -jar perf-benchmarks/target/benchmarks.jar DiagnosisOverheadBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class DiagnosisOverheadBenchmark {

    @Param({"false", "true"})
    public boolean diagnosis;

    private ContinuousDiagnosis running;

    @Setup(Level.Trial)
    public void setUp() {
        if (diagnosis) {
            running = ContinuousDiagnosis.create(DiagnosisConfig.ofDefaults(), Clock.SYSTEM);
            running.start();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (running != null) {
            running.close();
        }
    }

    @Benchmark
    public int sortRandomInts() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int[] data = new int[4_096];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextInt();
        }
        Arrays.sort(data);
        return data[data.length / 2];
    }
}
