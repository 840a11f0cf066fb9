package io.github.perfkit.examples.demo;

import io.github.perfkit.core.LatencySnapshot;
import io.github.perfkit.core.Operation;
import io.github.perfkit.core.OperationStats;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.PerformanceTracker;
import io.github.perfkit.core.ProfileNode;
import io.github.perfkit.core.ProfileTree;
import io.github.perfkit.core.Scope;
import io.github.perfkit.core.TrackerConfig;
import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.history.MetricsHistory;
import io.github.perfkit.core.history.TimeSeries;
import io.github.perfkit.core.metrics.MetricNames;
import io.micrometer.core.instrument.Tags;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A small console shop that exercises Perfkit's tracker and prints the live stats table every second.
 *
 * <p>Four worker threads serve "requests" ({@code checkout}, {@code search}, {@code product.view});
 * each request opens a profiled scope and nested scopes for its database queries and the payment
 * call, with latencies drawn from skewed distributions so the percentiles differ visibly from the
 * mean. Every second the demo prints the sliding-window statistics, the slowest request tree, and
 * a line of system and JVM figures read back from the hub's metrics history, with the readiness.
 *
 * <p>Run: {@code ./mvnw -q -pl examples/tracker-demo -am package exec:java -DskipTests}; stop with
 * Ctrl-C. {@code -Ddemo.seconds=N} stops it after N seconds.
 */
public final class TrackerDemo {

    private static final int WORKERS = 4;

    private TrackerDemo() {}

    /**
     * Runs the demo.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        long seconds = Long.getLong("demo.seconds", Long.MAX_VALUE);
        PrintStream out = System.out;
        try (Perf perf = Perf.builder()
                .tracker(TrackerConfig.builder().samplingRate(0.2).slowRequestThreshold(Duration.ofMillis(40)).build())
                .build()) {
            PerformanceTracker tracker = perf.tracker();
            Operation select = tracker.operation("db.query", "table", "product");
            Operation insert = tracker.operation("db.query", "table", "orders");
            for (int i = 0; i < WORKERS; i++) {
                Thread worker = new Thread(() -> serve(perf, select, insert), "demo-worker-" + i);
                worker.setDaemon(true);
                worker.start();
            }
            for (long s = 1; s <= seconds; s++) {
                TimeUnit.SECONDS.sleep(1);
                print(out, s, tracker.stats(), perf.profiler().slowest());
                out.println(systemLine(perf));
            }
        }
    }

    private static void serve(Perf perf, Operation select, Operation insert) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!Thread.currentThread().isInterrupted()) {
            int kind = random.nextInt(10);
            String name = kind < 2 ? "checkout" : kind < 6 ? "search" : "product.view";
            try (Scope request = perf.profiler().request(name)) {
                request.tag("user", "u" + random.nextInt(5));
                try (Scope query = select.start()) {
                    work(skewed(random, 300, 8_000));
                }
                if (name.equals("checkout")) {
                    try (Scope pay = perf.tracker().start("payment.call", "provider", "acme")) {
                        work(skewed(random, 5_000, 60_000));
                    }
                    try (Scope write = insert.start()) {
                        work(skewed(random, 500, 4_000));
                    }
                } else if (name.equals("search")) {
                    perf.tracker().record("search.rank", () -> work(skewed(random, 1_000, 10_000)));
                }
            }
            work(random.nextLong(2_000, 10_000));
        }
    }

    /** Mostly around {@code typical} microseconds, with a long tail up to {@code tail}. */
    private static long skewed(ThreadLocalRandom random, long typical, long tail) {
        double u = random.nextDouble();
        return u < 0.9 ? (long) (typical * (0.5 + u)) : (long) (typical + (tail - typical) * Math.pow(random.nextDouble(), 3));
    }

    private static void work(long micros) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
    }

    private static void print(PrintStream out, long second, List<OperationStats> stats, List<ProfileTree> slowest) {
        StringBuilder sb = new StringBuilder(2048);
        sb.append(String.format(Locale.ROOT, "%n--- Perfkit tracker demo, t=%ds (window %ds) ---%n", second,
                stats.isEmpty() ? 0 : stats.get(0).window().period().toSeconds()));
        sb.append(String.format(Locale.ROOT, "%-30s %8s %8s %9s %9s %9s %9s %9s%n",
                "operation", "count", "rate/s", "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms"));
        stats.stream().sorted(Comparator.comparing(OperationStats::name).thenComparing(s -> s.tags().toString()))
                .forEach(s -> {
                    LatencySnapshot w = s.window();
                    String label = s.name() + s.tags().stream().map(t -> "," + t.getKey() + "=" + t.getValue())
                            .reduce("", String::concat);
                    sb.append(String.format(Locale.ROOT, "%-30s %8d %8.1f %9.2f %9.2f %9.2f %9.2f %9.2f%n",
                            label, w.count(), w.ratePerSecond(), w.meanNanos() / 1e6, w.p50Nanos() / 1e6,
                            w.p95Nanos() / 1e6, w.p99Nanos() / 1e6, w.maxNanos() / 1e6));
                });
        if (!slowest.isEmpty()) {
            ProfileTree tree = slowest.get(0);
            sb.append(String.format(Locale.ROOT, "slowest request: %s %.2f ms%n", tree.name(), tree.durationNanos() / 1e6));
            appendNode(sb, tree.root(), 1);
        }
        out.print(sb);
        out.flush();
    }

    private static String systemLine(Perf perf) {
        MetricsHistory history = perf.history();
        return String.format(Locale.ROOT, "system cpu %s | process cpu %s | heap %s MB | threads %s | gc %s | ready: %s",
                percent(history, MetricNames.SYSTEM_CPU_USAGE), percent(history, MetricNames.JVM_CPU_USAGE),
                scaled(history, MetricNames.JVM_HEAP_USED, 1.0 / (1024 * 1024)),
                scaled(history, MetricNames.JVM_THREADS_LIVE, 1.0),
                percent(history, MetricNames.JVM_GC_PRESSURE),
                perf.health().check(HealthGroup.READINESS).status());
    }

    private static String percent(MetricsHistory history, String metric) {
        return history.latest(metric, Tags.empty())
                .map(p -> String.format(Locale.ROOT, "%.1f%%", p.avg() * 100)).orElse("-");
    }

    private static String scaled(MetricsHistory history, String metric, double factor) {
        return history.latest(metric, Tags.empty()).map(TimeSeries.Point::avg)
                .map(v -> String.format(Locale.ROOT, "%.0f", v * factor)).orElse("-");
    }

    private static void appendNode(StringBuilder sb, ProfileNode node, int depth) {
        sb.append("  ".repeat(depth))
                .append(String.format(Locale.ROOT, "%s +%.2f ms, %.2f ms%n", node.name(),
                        node.startOffsetNanos() / 1e6, node.durationNanos() / 1e6));
        for (ProfileNode child : node.children()) {
            appendNode(sb, child, depth + 1);
        }
    }
}
