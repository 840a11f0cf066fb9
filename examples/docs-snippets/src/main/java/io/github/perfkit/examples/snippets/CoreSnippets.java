package io.github.perfkit.examples.snippets;

import io.github.perfkit.core.Operation;
import io.github.perfkit.core.OperationStats;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.Scope;
import io.github.perfkit.core.findings.ContinuousDiagnosis;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.health.HealthReport;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.core.history.HistoryQuery;
import io.github.perfkit.core.history.TimeSeries;
import io.github.perfkit.core.profiling.JfrProfiler;
import io.github.perfkit.core.profiling.ProfileAnalyzer;
import io.github.perfkit.core.profiling.ProfileRecording;
import io.github.perfkit.core.profiling.ProfileResult;
import io.github.perfkit.core.profiling.ProfileSettings;
import io.github.perfkit.core.profiling.ProfilingConfig;
import io.github.perfkit.core.report.PerformanceReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The code shown in README.md and docs/API.md, between {@code tag::name[]} and {@code end::name[]}
 * markers. It compiles with the build; {@code DocsSnippetsTest} checks the documents show exactly it.
 */
@SuppressWarnings("unused")
final class CoreSnippets {

    private CoreSnippets() {}

    static void quickStart(MeterRegistry meterRegistry) {
        // tag::quick-start[]
        Perf perf = Perf.builder()
                .registry(meterRegistry)               // optional: your Micrometer registry
                .build();                              // starts the 1 s collection tick

        try (Scope scope = perf.tracker().start("checkout")) {   // one latency sample
            checkout();
        }

        Operation query = perf.tracker().operation("db.query", "table", "orders"); // pre-resolved:
        try (Scope s = query.start()) {                                            // no lookup,
            loadOrders();                                                          // no allocation
        }

        try (Scope request = perf.profiler().request("GET /cart")) {  // a profiled request: scopes opened
            loadCart();                                               // inside become its profile tree
        }

        OperationStats stats = perf.tracker().stats("checkout").orElseThrow();
        long p99 = stats.window().p99Nanos();          // exact p99 over the sliding window (default 1 min)

        perf.close();                                  // at shutdown: stops the tick, removes the meters
        // end::quick-start[]
    }

    static List<TimeSeries> history(Perf perf) {
        // tag::history[]
        Instant now = Instant.now();
        List<TimeSeries> cpu = perf.history().query(HistoryQuery.builder("perfkit.system.cpu.usage")
                .from(now.minus(Duration.ofHours(1)))
                .to(now)
                .step(Duration.ofMinutes(1))           // min, max and average per minute
                .build());
        // end::history[]
        return cpu;
    }

    static HealthReport health(Perf perf) {
        // tag::health[]
        perf.health().register("orders-db", () -> ordersDbReachable()
                ? HealthResult.up()
                : HealthResult.down("orders database unreachable"));
        HealthReport readiness = perf.health().check(HealthGroup.READINESS); // each check under a timeout
        // end::health[]
        return readiness;
    }

    static ProfileResult profile() throws IOException, InterruptedException, TimeoutException {
        // tag::profile[]
        try (JfrProfiler profiler = JfrProfiler.create(ProfilingConfig.ofDefaults())) {
            ProfileRecording recording = profiler.record(ProfileSettings.CPU, Duration.ofSeconds(30));
            Path file = recording.await(Duration.ofMinutes(1));
            ProfileResult result = ProfileAnalyzer.ofDefaults().analyze(file);
            result.hotspots().forEach(h -> System.out.printf("%s %.0f%%%n", h.frame(), h.selfShare() * 100));
            return result;
        }
        // end::profile[]
    }

    static void diagnosis(MeterRegistry meterRegistry) {
        // tag::diagnosis[]
        Perf perf = Perf.builder().registry(meterRegistry).diagnosis(true).build();
        ContinuousDiagnosis diagnosis = perf.diagnosis();
        for (Finding finding : diagnosis.active()) {         // e.g. CPU_HOTSPOT com.shop.Pricing.discounts
            System.out.println(finding.category() + " " + finding.culprit() + ": " + finding.recommendation());
        }
        // end::diagnosis[]
    }

    static void report(Perf perf) throws IOException {
        // tag::report[]
        Instant now = Instant.now();
        String html = PerformanceReport.of(perf, now.minus(Duration.ofHours(1)), now).toHtml();
        Files.writeString(Path.of("perfkit-report.html"), html);   // self-contained: no script, no CDN
        // end::report[]
    }

    private static void checkout() {}

    private static void loadOrders() {}

    private static void loadCart() {}

    private static boolean ordersDbReachable() {
        return true;
    }
}
