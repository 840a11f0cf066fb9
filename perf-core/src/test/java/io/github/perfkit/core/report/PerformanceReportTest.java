package io.github.perfkit.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.perfkit.core.Operation;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.Scope;
import io.github.perfkit.core.TrackerConfig;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.findings.FindingCategory;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PerformanceReportTest {

    private MockClock clock;
    private Perf perf;
    private Instant start;

    @BeforeEach
    void setUp() {
        clock = new MockClock();
        clock.add(Duration.ofDays(1));
        perf = Perf.builder()
                .registry(new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock))
                .clock(clock)
                .autoTick(false)
                .tracker(TrackerConfig.builder().slowRequestThreshold(Duration.ofMillis(100)).build())
                .build();
        start = now();
    }

    @AfterEach
    void tearDown() {
        perf.close();
    }

    @Test
    void htmlIsSelfContainedWithChartsTablesAndEscapedValues() throws InterruptedException {
        Operation hostile = perf.tracker().operation("<script>alert(1)</script>");
        for (int second = 0; second < 20; second++) {
            hostile.recordNanos(TimeUnit.MILLISECONDS.toNanos(5));
            clock.add(Duration.ofSeconds(1));
            perf.tick();
        }
        try (Scope request = perf.profiler().request("GET /cart")) {
            try (Scope query = perf.tracker().start("db.query")) {
                Thread.sleep(120); // scopes time with System.nanoTime: above the 100 ms slow-request threshold
            }
        }
        perf.diagnosis().report(new Finding(Finding.idOf(FindingCategory.CPU_HOTSPOT, "app.Cart.total", null),
                FindingCategory.CPU_HOTSPOT, "app.Cart.total", null, Map.of("cpuShare", 0.4), List.of("app.Cart.total"),
                now(), now(), "app.Cart.total took 40% <of> the CPU samples", true));

        String html = PerformanceReport.of(perf, start, now()).toHtml();

        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("http://")
                .doesNotContain("https://");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        Matcher polylines = Pattern.compile("<polyline [^>]*points=\"([^\"]+)\"").matcher(html);
        int full = 0;
        while (polylines.find()) {
            full += polylines.group(1).split(" ").length >= 10 ? 1 : 0;
        }
        // The JDK's CPU gauges answer NaN when read again within milliseconds of real time, which this
        // fast-forwarded clock does, so the two CPU charts may be sparse or empty; heap, GC pressure and
        // threads have a point for every tick: their average and maximum lines are full.
        assertThat(full).isGreaterThanOrEqualTo(6);
        assertThat(html).contains("<div>Heap used</div><svg width=\"360\" height=\"120\" role=\"img\"><polyline");
        assertThat(html).containsPattern("<details><summary>GET /cart &middot; [0-9]+\\.[0-9]{2} ms")
                .containsPattern("<pre>GET /cart  \\+0\\.00 ms, [0-9.]+ ms\n  db\\.query  \\+");
        assertThat(html).contains("app.Cart.total took 40% &lt;of&gt; the CPU samples").contains("CPU_HOTSPOT");
        assertThat(html).contains("<td>deadlocks</td>");
    }

    @Test
    void markdownSummarisesAndEscapesTableCells() {
        perf.tracker().operation("a|b").recordNanos(1_000_000);
        clock.add(Duration.ofSeconds(1));
        perf.tick();
        String md = PerformanceReport.of(perf, start, now()).toMarkdown();
        assertThat(md).startsWith("# Perfkit performance report").contains("| metric | min | avg | max |")
                .contains("| a\\|b | 1 |").contains("None in this window.");
    }

    @Test
    void theSummaryCountsRequestsErrorsAndTheCacheHitRatioFromTheHistory() {
        io.micrometer.core.instrument.MeterRegistry registry = perf.registry();
        assertThat(PerformanceReport.of(perf, start, now().plusSeconds(1)).toMarkdown())
                .contains("| HTTP requests | not recorded (no perf-servlet filter) |")
                .contains("| cache hit ratio | not recorded (no perf-cache) |");
        io.micrometer.core.instrument.Timer ok = io.micrometer.core.instrument.Timer.builder("perfkit.http.server.requests")
                .tags("uri", "/a", "status", "200", "status.class", "2xx").register(registry);
        io.micrometer.core.instrument.Timer failed = io.micrometer.core.instrument.Timer.builder("perfkit.http.server.requests")
                .tags("uri", "/a", "status", "503", "status.class", "5xx").register(registry);
        io.micrometer.core.instrument.Counter l1Hit = registry.counter("perfkit.cache.gets", "cache", "c", "level", "l1", "result", "hit");
        io.micrometer.core.instrument.Counter l1Miss = registry.counter("perfkit.cache.gets", "cache", "c", "level", "l1", "result", "miss");
        io.micrometer.core.instrument.Counter l2Hit = registry.counter("perfkit.cache.gets", "cache", "c", "level", "l2", "result", "hit");
        perf.tick();
        Instant from = now();
        for (int second = 0; second < 60; second++) {
            for (int i = 0; i < 9; i++) {
                ok.record(Duration.ofMillis(10));
            }
            failed.record(Duration.ofMillis(110));
            l1Hit.increment(6);
            l1Miss.increment(4);
            l2Hit.increment(2);
            clock.add(Duration.ofSeconds(1));
            perf.tick();
        }
        String md = PerformanceReport.of(perf, from, now()).toMarkdown();
        // 10 requests per second for 60 s, one in ten a 5xx; mean (9 x 10 + 110) / 10 = 20 ms; hits 6 + 2 of 10.
        assertThat(md).contains("| HTTP requests | 600 (10.00/s) |").contains("| 5xx errors | 60 (10.0%) |")
                .contains("| 4xx responses | 0 (0.0%) |").contains("| mean latency | 20.00 ms |")
                .contains("| worst latency | 110.00 ms |").contains("| cache hit ratio | 80.0% |");
        assertThat(PerformanceReport.of(perf, from, now()).toHtml()).contains("<h2>Summary</h2>")
                .contains("<tr><td>HTTP requests</td><td>600 (10.00/s)</td></tr>");
    }

    @Test
    void alertsFromTheAlertEnginesSectionAreListedActiveAndInTheWindowOnly() {
        perf.register(new io.github.perfkit.core.spi.StatusContributor() {
            @Override
            public String name() {
                return "alerts";
            }

            @Override
            public Map<String, Object> status() {
                return Map.of("active", List.of(Map.of("rule", "cpu-high", "level", "CRITICAL", "state", "FIRING",
                                "subject", "perfkit.system.cpu.usage", "title", "CPU <b>98 %</b>",
                                "since", start.toString())),
                        "recent", List.of(
                                Map.of("rule", "heap", "kind", "RESOLVED", "level", "INFO", "subject", "heap",
                                        "title", "heap back to normal", "at", start.plusSeconds(1).toString()),
                                Map.of("rule", "old", "kind", "FIRING", "level", "HIGH", "subject", "x",
                                        "title", "before the window", "at", start.minusSeconds(3600).toString())));
            }
        });
        clock.add(Duration.ofSeconds(5));
        PerformanceReport report = PerformanceReport.of(perf, start, now());
        assertThat(report.toMarkdown()).contains("## Alerts").contains("| active firing | CRITICAL | cpu-high |")
                .contains("| resolved | INFO | heap |").doesNotContain("before the window");
        assertThat(report.toHtml()).contains("CPU &lt;b&gt;98 %&lt;/b&gt;");
    }

    @Test
    void comparisonGivesTheChangePerOperationInPercent() {
        Operation checkout = perf.tracker().operation("checkout");
        for (int i = 0; i < 100; i++) {
            checkout.recordNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        ReportSnapshot before = ReportSnapshot.capture(perf, "before");
        clock.add(Duration.ofMinutes(2)); // the window forgets the "before" samples
        for (int i = 0; i < 100; i++) {
            checkout.recordNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        perf.tracker().operation("export").recordNanos(1_000_000);
        ReportSnapshot after = ReportSnapshot.capture(perf, "after");

        ReportComparison diff = ReportComparison.of(before, after);

        ReportComparison.Row row = diff.rows().get(0);
        assertThat(row.operation()).isEqualTo("checkout");
        assertThat(row.p95ChangePercent()).isCloseTo(100.0, within(0.5));
        assertThat(row.p99ChangePercent()).isCloseTo(100.0, within(0.5));
        assertThat(diff.rows()).filteredOn(r -> r.operation().equals("export"))
                .singleElement().satisfies(r -> assertThat(r.p95ChangePercent()).isNull());
        String html = PerformanceReport.of(perf, start, now()).withComparison(diff).toHtml();
        assertThat(html).contains("before &rarr; after").contains("class=\"up\">+100");
    }

    @Test
    void anEmptyOrInvertedWindowIsRejected() {
        assertThatThrownBy(() -> PerformanceReport.of(perf, now(), now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be before");
        String html = PerformanceReport.of(perf, now().minusSeconds(60), now()).toHtml();
        assertThat(html).contains("no data in this window");
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.wallTime());
    }
}
