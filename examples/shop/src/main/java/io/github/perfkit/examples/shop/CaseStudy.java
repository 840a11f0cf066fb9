package io.github.perfkit.examples.shop;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.report.PerformanceReport;
import io.github.perfkit.core.report.ReportComparison;
import io.github.perfkit.core.report.ReportSnapshot;
import io.github.perfkit.examples.load.LatencySummary;
import io.github.perfkit.examples.load.LoadGenerator;
import io.github.perfkit.examples.load.LoadResult;
import io.github.perfkit.examples.load.Target;
import io.github.perfkit.examples.shop.problems.Problem;
import io.github.perfkit.examples.shop.problems.ProblemSwitches;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Produces {@code docs/CASE-STUDY.md}: the shop under the demo's request mix with every problem on (the
 * "before"), then with every problem off — batched queries, the cache in front of the report, no leaks (the
 * "after") — measured by the load generator (per endpoint) and by Perfkit itself (report, findings, cache
 * hit ratio, statement counts). Nothing in the document is typed in: every number comes from the run.
 *
 * <pre>
 * ./mvnw -q -pl examples/shop -am package exec:java -Dmaven.test.skip=true \
 *     -Dshop.main=io.github.perfkit.examples.shop.CaseStudy -Dexec.args="--case.seconds=120"
 * </pre>
 *
 * <p>Properties ({@code --name=value}): {@code case.seconds} per phase (120), {@code case.rate} req/s (20),
 * {@code case.output} (docs/CASE-STUDY.md, found from the working directory or the repository root).
 *
 * <p>Thread-safety: not applicable (a program entry point).
 */
public final class CaseStudy {

    private static final Logger LOG = LoggerFactory.getLogger(CaseStudy.class);

    private CaseStudy() {
    }

    /**
     * Runs both phases and writes the document.
     *
     * @param args Spring Boot arguments plus the case-study properties
     * @throws IOException if the document cannot be written
     */
    public static void main(String[] args) throws IOException {
        SpringApplication app = new SpringApplication(ShopApplication.class);
        app.setDefaultProperties(Map.of("shop.problems", "all", "server.port", "0"));
        try (ConfigurableApplicationContext context = app.run(args)) {
            var env = context.getEnvironment();
            int seconds = env.getProperty("case.seconds", Integer.class, 120);
            double rate = env.getProperty("case.rate", Double.class, 20.0);
            Path output = output(env.getProperty("case.output", "docs/CASE-STUDY.md"));
            String base = "http://localhost:" + env.getProperty("local.server.port");
            Perf perf = context.getBean(Perf.class);
            ProblemSwitches switches = context.getBean(ProblemSwitches.class);
            List<Target> targets = ShopLauncher.targets(base,
                    env.getProperty("shop.seed.products", Integer.class, ShopApplication.DEFAULT_PRODUCTS),
                    env.getProperty("shop.seed.users", Integer.class, ShopApplication.DEFAULT_USERS),
                    env.getProperty("shop.seed.orders-per-user", Integer.class, ShopApplication.DEFAULT_ORDERS_PER_USER));

            LOG.info("case study: warm-up, then {} s with every problem on", seconds);
            run(targets, rate, Duration.ofSeconds(20));
            Instant start = Instant.now();
            Counts countsBefore = Counts.of(perf);
            LoadResult before = run(targets, rate, Duration.ofSeconds(seconds));
            Counts before2 = Counts.of(perf);
            ReportSnapshot snapBefore = ReportSnapshot.capture(perf, "problems on");
            List<Finding> findingsBefore = perf.diagnosis().active();

            for (Problem p : Problem.values()) {
                switches.set(p, false);
            }
            LOG.info("case study: every problem off; warm-up, then {} s", seconds);
            run(targets, rate, Duration.ofSeconds(20));
            Counts countsAfter = Counts.of(perf);
            LoadResult after = run(targets, rate, Duration.ofSeconds(seconds));
            Counts after2 = Counts.of(perf);
            ReportSnapshot snapAfter = ReportSnapshot.capture(perf, "problems off");
            Instant end = Instant.now();

            String doc = document(seconds, rate, before, after, before2.minus(countsBefore), after2.minus(countsAfter),
                    findingsBefore, perf.diagnosis().active(),
                    PerformanceReport.of(perf, start, end).withComparison(ReportComparison.of(snapBefore, snapAfter)));
            Files.createDirectories(output.toAbsolutePath().getParent());
            Files.writeString(output, doc);
            LOG.info("case study written to {}", output.toAbsolutePath());
        }
    }

    private static LoadResult run(List<Target> targets, double rate, Duration duration) {
        return LoadGenerator.builder().targets(targets).rate(rate).concurrency(16).duration(duration)
                .progressInterval(Duration.ofSeconds(30)).onProgress(p -> LOG.info("load {}", p.line())).build().run();
    }

    private static Path output(String name) {
        Path p = Path.of(name);
        if (p.isAbsolute() || Files.isDirectory(p.toAbsolutePath().getParent())) {
            return p;
        }
        return Path.of("../..").resolve(name); // run from examples/shop
    }

    /** Perfkit's own counters over one phase: statements executed, cache gets and hits, N+1 detections. */
    record Counts(double statements, double cacheGets, double cacheHits, double nPlusOne) {

        static Counts of(Perf perf) {
            double statements = perf.tracker().stats().stream().filter(s -> s.name().equals("jdbc.statement"))
                    .mapToDouble(s -> s.total().count()).sum();
            MeterRegistry r = perf.registry();
            double gets = r.find("perfkit.cache.gets").tag("level", "l1").functionCounters().stream()
                    .mapToDouble(FunctionCounter::count).sum();
            double hits = r.find("perfkit.cache.gets").tag("result", "hit").functionCounters().stream()
                    .mapToDouble(FunctionCounter::count).sum();
            double nPlusOne = r.find("perfkit.jdbc.n.plus.one").counters().stream().mapToDouble(c -> c.count()).sum();
            return new Counts(statements, gets, hits, nPlusOne);
        }

        Counts minus(Counts o) {
            return new Counts(statements - o.statements, cacheGets - o.cacheGets, cacheHits - o.cacheHits,
                    nPlusOne - o.nPlusOne);
        }
    }

    static String document(int seconds, double rate, LoadResult before, LoadResult after, Counts cb, Counts ca,
            List<Finding> findingsBefore, List<Finding> findingsAfter, PerformanceReport report) {
        StringBuilder m = new StringBuilder(16_384);
        m.append("# Case study: the example shop before and after its fixes\n\n")
                .append("Generated by `io.github.perfkit.examples.shop.CaseStudy` on ").append(Instant.now())
                .append(" (").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, JDK ")
                .append(System.getProperty("java.version")).append("). Every number below was measured in that run.\n\n")
                .append(String.format(Locale.ROOT, "The load generator sent the demo's request mix at %.0f req/s "
                        + "(open model: latency counts from when a request was due) for %d s with every deliberate "
                        + "problem on, then for %d s with every problem off — the fixes: batched queries instead of "
                        + "N+1, an index-friendly search, Perfkit's `@Cached` in front of the sales report, no leaks, "
                        + "no global lock, no busy hashing. Each phase followed a 20 s warm-up.%n%n", rate, seconds, seconds))
                .append("Reproduce: `./mvnw -q -pl examples/shop -am package exec:java -Dmaven.test.skip=true "
                        + "-Dshop.main=io.github.perfkit.examples.shop.CaseStudy -Dexec.args=\"--case.seconds=")
                .append(seconds).append("\"`\n\n## Per endpoint (load generator)\n\n")
                .append("| endpoint | req/s before | req/s after | p50 ms before → after | p95 ms before → after | "
                        + "p99 ms before → after | failures before → after |\n|---|---:|---:|---:|---:|---:|---:|\n");
        double sb = before.elapsed().toMillis() / 1000.0;
        double sa = after.elapsed().toMillis() / 1000.0;
        for (Map.Entry<String, LatencySummary> e : before.byTarget().entrySet()) {
            LatencySummary b = e.getValue();
            LatencySummary a = after.byTarget().get(e.getKey());
            if (a == null) {
                continue;
            }
            m.append("| `").append(e.getKey().replaceFirst("^[0-9]+\\*", "").replaceAll("https?://[^/]+", ""))
                    .append("` | ").append(fmt(b.requests() / sb)).append(" | ").append(fmt(a.requests() / sa))
                    .append(" | ").append(ms(b.p50Micros())).append(" → ").append(ms(a.p50Micros()))
                    .append(" | ").append(ms(b.p95Micros())).append(" → ").append(ms(a.p95Micros()))
                    .append(" | ").append(ms(b.p99Micros())).append(" → ").append(ms(a.p99Micros()))
                    .append(" | ").append(b.failures()).append(" → ").append(a.failures()).append(" |\n");
        }
        LatencySummary ob = before.overall();
        LatencySummary oa = after.overall();
        m.append("| **all** | ").append(fmt(before.throughput())).append(" | ").append(fmt(after.throughput()))
                .append(" | ").append(ms(ob.p50Micros())).append(" → ").append(ms(oa.p50Micros()))
                .append(" | ").append(ms(ob.p95Micros())).append(" → ").append(ms(oa.p95Micros()))
                .append(" | ").append(ms(ob.p99Micros())).append(" → ").append(ms(oa.p99Micros()))
                .append(" | ").append(ob.failures()).append(" → ").append(oa.failures()).append(" |\n\n");
        m.append("## What Perfkit counted\n\n| | before | after |\n|---|---:|---:|\n")
                .append("| SQL statements executed | ").append(fmt(cb.statements())).append(" | ").append(fmt(ca.statements()))
                .append(" |\n| SQL statements per request | ").append(fmt(cb.statements() / Math.max(1, ob.requests())))
                .append(" | ").append(fmt(ca.statements() / Math.max(1, oa.requests())))
                .append(" |\n| N+1 detections | ").append(fmt(cb.nPlusOne())).append(" | ").append(fmt(ca.nPlusOne()))
                .append(" |\n| cache gets | ").append(fmt(cb.cacheGets())).append(" | ").append(fmt(ca.cacheGets()))
                .append(" |\n| cache hit ratio | ").append(ratio(cb)).append(" | ").append(ratio(ca)).append(" |\n\n");
        m.append("## Findings (continuous diagnosis)\n\nActive at the end of the \"before\" phase:\n\n");
        findings(m, findingsBefore);
        m.append("\nActive at the end of the \"after\" phase:\n\n");
        findings(m, findingsAfter);
        m.append("\n## Perfkit's report of the whole run\n\nThe report generator's own output "
                + "(`PerformanceReport.of(perf, start, end).withComparison(...)`), headings moved one level down:\n\n");
        m.append(report.toMarkdown().replaceAll("(?m)^#", "##"));
        return m.toString();
    }

    private static void findings(StringBuilder m, List<Finding> findings) {
        if (findings.isEmpty()) {
            m.append("- none\n");
        }
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort((x, y) -> x.category().compareTo(y.category()));
        for (Finding f : sorted) {
            m.append("- **").append(f.category()).append("** `").append(f.culprit()).append('`')
                    .append(f.subject() == null ? "" : " (" + f.subject() + ")").append(": ")
                    .append(f.recommendation().replace("|", "\\|")).append('\n');
        }
    }

    private static String ratio(Counts c) {
        return c.cacheGets() <= 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * c.cacheHits() / c.cacheGets());
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }
}
