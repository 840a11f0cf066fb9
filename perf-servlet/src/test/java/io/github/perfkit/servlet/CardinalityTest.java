package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Perf;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Random URL scans: one million through the template normaliser and cap, and 300 000 driven
 * in-process through the whole filter: the template set, the meter count and the retained heap
 * stay bounded. The request doubles throw on every method the
 * filter has no business calling (body, parameters, reader), so a million requests with zero
 * monitoring failures also prove the filter never touches the request body.
 */
class CardinalityTest {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    @Test
    void oneMillionRandomUrlsKeepTemplatesBounded() {
        io.github.perfkit.servlet.internal.UriTemplates templates = new io.github.perfkit.servlet.internal.UriTemplates(500);
        Random random = new Random(1);
        StringBuilder sb = new StringBuilder(64);
        int other = 0;
        for (int i = 0; i < 1_000_000; i++) {
            if (templates.template(null, randomPath(random, sb)).equals("OTHER")) {
                other++;
            }
        }
        assertThat(templates.size()).isEqualTo(500);
        assertThat(other).isGreaterThan(900_000);
        assertThat(templates.overflowCount()).isEqualTo(other);
    }

    @Test
    void randomUrlScanThroughTheFilterKeepsMetersAndMemoryBounded() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Perf perf = Perf.builder().registry(registry).autoTick(false).systemMetrics(false).jvmMetrics(false)
                .build()) {
            PerfFilter filter = new PerfFilter(perf, PerfFilterConfig.builder().maxUriTemplates(500)
                    .threadUsage(false).build());
            Random random = new Random(42);
            AtomicInteger served = new AtomicInteger();
            // Warm up and settle before taking the baseline.
            scan(filter, random, 20_000, served);
            long baseline = usedHeapAfterGc();
            int metersBefore = registry.getMeters().size();
            long start = System.nanoTime();
            scan(filter, random, 300_000, served);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            long retained = usedHeapAfterGc() - baseline;

            assertThat(served.get()).isEqualTo(320_000);
            assertThat(filter.uriTemplateCount()).isEqualTo(500);
            assertThat(registry.find(MetricNames.HTTP_SERVER_REQUESTS).tag("uri", "OTHER").timer().count())
                    .isGreaterThan(250_000);
            int meters = registry.getMeters().size();
            // Per template: requests timer, response size and the tracker's request operation; plus OTHER
            // and a few fixed meters.
            assertThat(meters).isLessThanOrEqualTo(5 * 501 + 60);
            assertThat(perf.tracker().stats()).hasSizeLessThanOrEqualTo(502);
            // After the warm-up filled the cap, only request operations of already known templates appear.
            assertThat(meters - metersBefore).isLessThanOrEqualTo(501);
            assertThat(retained).as("heap retained by the scan (bytes)").isLessThan(32L * 1024 * 1024);
            assertThat(filter.monitoringFailures()).isZero();
            System.out.printf("300k random URLs through the filter in %d ms; %d meters; %d templates; retained %d KB%n",
                    elapsedMs, meters, filter.uriTemplateCount(), retained / 1024);
        }
    }

    @Test
    void aRegistryThatThrowsNeverBreaksTheRequest() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Perf perf = Perf.builder().registry(registry).autoTick(false).systemMetrics(false).jvmMetrics(false)
                .build()) {
            PerfFilter filter = new PerfFilter(perf, PerfFilterConfig.ofDefaults());
            registry.config().meterFilter(new MeterFilter() {
                @Override
                public Meter.Id map(Meter.Id id) {
                    throw new IllegalStateException("registry is broken");
                }
            });
            perf.tracker().setEnabled(true);
            Map<String, String> headers = new HashMap<>();
            AtomicInteger served = new AtomicInteger();
            for (int i = 0; i < 100; i++) {
                HttpServletRequest req = InProcess.request("GET", "/orders/" + i, Map.of());
                HttpServletResponse res = InProcess.response(200, headers);
                filter.doFilter(req, res, (rq, rs) -> served.incrementAndGet());
            }
            assertThat(served.get()).isEqualTo(100);
            assertThat(filter.monitoringFailures()).isGreaterThanOrEqualTo(100);
            assertThat(headers.get("X-Request-ID")).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void profileSamplingRateZeroOpensNoProfileScopesButStillMeasures() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Perf perf = Perf.builder().registry(registry).autoTick(false).systemMetrics(false).jvmMetrics(false)
                .build()) {
            perf.profiler().setSamplingRate(1.0);
            PerfFilter none = new PerfFilter(perf, PerfFilterConfig.builder().profileSamplingRate(0.0).build());
            for (int i = 0; i < 50; i++) {
                none.doFilter(InProcess.request("GET", "/a/" + i, Map.of()), InProcess.response(200, new HashMap<>()),
                        (rq, rs) -> { });
            }
            assertThat(perf.profiler().recent()).isEmpty();
            assertThat(registry.find(MetricNames.HTTP_SERVER_REQUESTS).tag("uri", "/a/{id}").timer().count())
                    .isEqualTo(50);
            PerfFilter all = new PerfFilter(perf, PerfFilterConfig.builder().profileSamplingRate(1.0).build());
            all.doFilter(InProcess.request("GET", "/b", Map.of()), InProcess.response(200, new HashMap<>()),
                    (rq, rs) -> { });
            assertThat(perf.profiler().recent()).hasSize(1);
        }
    }

    private static void scan(PerfFilter filter, Random random, int n, AtomicInteger served) throws Exception {
        Map<String, String> headers = new HashMap<>();
        Map<String, String> noHeaders = Map.of();
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < n; i++) {
            String path = randomPath(random, sb);
            HttpServletRequest req = InProcess.request("GET", path, noHeaders);
            HttpServletResponse res = InProcess.response(200, headers);
            filter.doFilter(req, res, (rq, rs) -> served.incrementAndGet());
        }
    }

    private static String randomPath(Random random, StringBuilder sb) {
        sb.setLength(0);
        int segments = 1 + random.nextInt(4);
        for (int s = 0; s < segments; s++) {
            sb.append('/');
            int len = 1 + random.nextInt(10);
            for (int c = 0; c < len; c++) {
                sb.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
            }
            if (random.nextInt(4) == 0) {
                sb.append('/').append(random.nextInt(1_000_000));
            }
        }
        return sb.toString();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
