package io.github.perfkit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@link FilterBenchmark}'s variants measured in thread CPU time instead of wall time: each variant runs the same
 * in-memory request in a loop on one thread, in rounds rotated across the variants, and the CPU time the thread
 * consumed is divided by the requests. Other processes on the machine stretch wall time but barely CPU time, so this
 * gives the filter's cost per request on a busy (e.g. shared CI) machine, where the JMH figures would be mostly
 * descheduling. JMH on a quiet machine remains the reference.
 *
 * <pre>
 * java -cp perf-benchmarks/target/benchmarks.jar io.github.perfkit.benchmarks.FilterCpuCost [rounds] [requests per round]
 * </pre>
 *
 * <p>A command-line tool: prints to standard output. Not thread-safe (one run per JVM).
 */
public final class FilterCpuCost {

    private FilterCpuCost() {}

    /**
     * Runs the comparison.
     *
     * @param args rounds (default 10), requests per round (default 2,000,000)
     * @throws Exception when a request fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        String[] variants = {"none", "perfkit", "perfkitNoProfile", "perfkitMetricsOnly"};
        List<FilterBenchmark> benches = new ArrayList<>();
        for (String v : variants) {
            FilterBenchmark b = new FilterBenchmark();
            b.variant = v;
            b.setUp();
            benches.add(b);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] perRequest = new double[variants.length][rounds];
        FilterBenchmark.Counter counter = new FilterBenchmark.Counter();
        for (int warm = 0; warm < 3; warm++) {
            for (FilterBenchmark b : benches) {
                for (int i = 0; i < requests; i++) {
                    b.request(counter);
                }
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < variants.length; k++) {
                int v = (k + r) % variants.length;
                FilterBenchmark b = benches.get(v);
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < requests; i++) {
                    b.request(counter);
                }
                perRequest[v][r] = (threads.getCurrentThreadCpuTime() - t0) / (double) requests;
            }
        }
        double base = median(perRequest[0]);
        System.out.printf(Locale.ROOT, "%-20s %14s %14s %14s%n", "variant", "CPU ns/req med", "min..max", "added vs none");
        for (int v = 0; v < variants.length; v++) {
            double[] sorted = perRequest[v].clone();
            Arrays.sort(sorted);
            double med = median(perRequest[v]);
            System.out.printf(Locale.ROOT, "%-20s %14.1f %6.0f..%-7.0f %+14.1f%n", variants[v], med, sorted[0],
                    sorted[sorted.length - 1], med - base);
        }
        for (FilterBenchmark b : benches) {
            b.tearDown();
        }
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
