package io.github.perfkit.benchmarks;

import io.github.perfkit.core.Perf;
import io.github.perfkit.servlet.PerfFilter;
import io.github.perfkit.servlet.PerfFilterConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What Perfkit's filter adds to one request, without a container or sockets around it: the same in-memory
 * request ({@link StubRequest}, {@code GET /hello/<n>}) and response go through a hello-world chain directly
 * ({@code none}) and through {@link PerfFilter} with its defaults ({@code perfkit}), with profile scopes off
 * ({@code perfkitNoProfile}), or with neither profile scopes nor thread CPU/allocation ({@code perfkitMetricsOnly}),
 * and through the floor of any Micrometer HTTP filter, one cached timer per path and status ({@code micrometer}).
 * The difference between {@code none} and a filter is the filter's own cost per request, in time and (with
 * {@code -prof gc}) in allocation; {@code FilterThroughput} measures the same filter end to end over loopback HTTP.
 * The hub ticks every second, as in production.
 *
 * <p>Run (nothing else running on the machine):
 * <pre>
 * java -jar perf-benchmarks/target/benchmarks.jar FilterBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class FilterBenchmark {

    private static final byte[] BODY = "hello, world\n".getBytes(StandardCharsets.US_ASCII);
    private static final String[] PATHS = new String[16];

    static {
        for (int i = 0; i < PATHS.length; i++) {
            PATHS[i] = "/hello/" + i;
        }
    }

    /** The filter in front of the chain. */
    @Param({"none", "perfkit", "perfkitNoProfile", "perfkitMetricsOnly", "micrometer"})
    public String variant;

    private Perf perf;
    private Filter filter;
    private final FilterChain chain = (req, res) -> {
        res.setContentType("text/plain; charset=utf-8");
        res.setContentLength(BODY.length);
        res.getOutputStream().write(BODY);
    };

    /** Builds the hub and the filter of the variant. */
    @Setup
    public void setUp() {
        perf = Perf.builder().registry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).build();
        PerfFilterConfig.Builder config = PerfFilterConfig.builder();
        switch (variant) {
            case "none" -> config = null;
            case "perfkit" -> { }
            case "perfkitNoProfile" -> config.profileSamplingRate(0);
            case "perfkitMetricsOnly" -> config.profileSamplingRate(0).threadUsage(false);
            case "micrometer" -> config = null;
            default -> throw new IllegalArgumentException("variant " + variant);
        }
        filter = config != null ? new PerfFilter(perf, config.build())
                : variant.equals("micrometer") ? new FilterThroughput.BareTimerFilter(perf.registry()) : null;
    }

    /** Closes the hub. */
    @TearDown
    public void tearDown() {
        perf.close();
    }

    /** Per-thread request counter choosing the path. */
    @State(Scope.Thread)
    public static class Counter {
        int next;
    }

    /**
     * One request.
     *
     * @param counter the thread's counter
     * @return the response (so nothing is optimised away)
     * @throws IOException never
     * @throws ServletException never
     */
    @Benchmark
    public StubResponse request(Counter counter) throws IOException, ServletException {
        StubRequest req = new StubRequest(PATHS[counter.next++ & (PATHS.length - 1)]);
        StubResponse res = new StubResponse();
        if (filter == null) {
            chain.doFilter(req, res);
        } else {
            filter.doFilter(req, res, chain);
        }
        return res;
    }
}
