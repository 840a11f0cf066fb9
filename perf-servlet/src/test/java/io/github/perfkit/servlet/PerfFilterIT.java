package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.core.ProfileNode;
import io.github.perfkit.core.ProfileTree;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The filter over real sockets: embedded Jetty 12 and java.net.http.HttpClient. */
class PerfFilterIT {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(PerfFilterConfig.builder().uriTemplateAttribute(TestServer.PATTERN_ATTRIBUTE)
                .exclude("/excluded").cpuSamplingRate(1.0).build(), PerfEndpointsConfig.ofDefaults());
        server.perf.profiler().setSamplingRate(1.0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Timer timer(String uri, String status) {
        return server.registry().find(MetricNames.HTTP_SERVER_REQUESTS).tag("uri", uri).tag("status", status).timer();
    }

    @Test
    void recordsLatencyByMethodTemplateStatusAndClass() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(server.get("/users/" + (1000 + i)).body()).startsWith("user 100");
        }
        server.get("/users/550e8400-e29b-41d4-a716-446655440000");
        Timer t = timer("/users/{id}", "200");
        assertThat(t).isNotNull();
        assertThat(t.count()).isGreaterThanOrEqualTo(4);
        assertThat(t.getId().getTag("method")).isEqualTo("GET");
        assertThat(t.getId().getTag("status.class")).isEqualTo("2xx");
        assertThat(t.getId().getTag("exception")).isEqualTo("none");
        assertThat(server.registry().find(MetricNames.HTTP_SERVER_REQUEST_CPU).tag("uri", "/users/{id}").timer())
                .isNotNull();
        assertThat(server.registry().find(MetricNames.HTTP_SERVER_REQUEST_ALLOCATED).tag("uri", "/users/{id}")
                .summary().count()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void byDefaultThreadCpuTimeIsMeasuredForASampleOfRequestsAndAllocationForEveryOne() throws Exception {
        try (TestServer sampled = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.ofDefaults())) {
            int requests = 1_500;
            for (int i = 0; i < requests; i++) {
                assertThat(sampled.get("/users/" + i).statusCode()).isEqualTo(200);
            }
            long allocations = sampled.registry().find(MetricNames.HTTP_SERVER_REQUEST_ALLOCATED)
                    .tag("uri", "/users/{id}").summary().count();
            Timer cpu = sampled.registry().find(MetricNames.HTTP_SERVER_REQUEST_CPU).tag("uri", "/users/{id}").timer();
            assertThat(allocations).isEqualTo(requests);
            // 1 % of 1 500: 15 expected; 0 has probability 3e-7, more than 60 far less.
            assertThat(cpu).isNotNull();
            assertThat(cpu.count()).isBetween(1L, 60L);
            assertThat(cpu.mean(TimeUnit.NANOSECONDS)).isPositive();
        }
    }

    @Test
    void usesTheFrameworkPatternWhenPresent() throws Exception {
        server.get("/framework/alpha");
        server.get("/framework/beta");
        assertThat(timer("/framework/{name}", "200").count()).isEqualTo(2);
        assertThat(server.registry().find(MetricNames.HTTP_SERVER_REQUESTS).tag("uri", "/framework/alpha").timer())
                .isNull();
    }

    @Test
    void exceptionsBecome500WithTheExceptionTag() throws Exception {
        HttpResponse<String> r = server.get("/boom");
        assertThat(r.statusCode()).isEqualTo(500);
        Timer t = server.registry().find(MetricNames.HTTP_SERVER_REQUESTS).tag("uri", "/boom")
                .tag("exception", "IllegalStateException").timer();
        assertThat(t).isNotNull();
        assertThat(t.getId().getTag("status")).isEqualTo("500");
        assertThat(t.getId().getTag("status.class")).isEqualTo("5xx");
    }

    @Test
    void foldsNotFoundWithoutPatternSoScannersCannotFillTheCap() throws Exception {
        server.get("/missing");
        assertThat(timer("NOT_FOUND", "404")).isNotNull();
    }

    @Test
    void requestIdIsAcceptedWhenWellFormedElseGeneratedAndIsInTheMdc() throws Exception {
        HttpResponse<String> ok = server.get("/mdc", "X-Request-ID", "abc-123_x.y");
        assertThat(ok.headers().firstValue("X-Request-ID")).contains("abc-123_x.y");
        assertThat(ok.body()).isEqualTo("abc-123_x.y");

        for (String bad : List.of("a b", "x".repeat(65), "<script>", "é")) {
            HttpResponse<String> r = server.get("/mdc", "X-Request-ID", bad.equals("a b") ? "a%20b" : bad);
            String id = r.headers().firstValue("X-Request-ID").orElseThrow();
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(r.body()).isEqualTo(id);
        }
        HttpResponse<String> none = server.get("/mdc");
        assertThat(none.headers().firstValue("X-Request-ID").orElseThrow()).matches("[0-9a-f]{32}");
    }

    @Test
    void asyncRequestsEndAtCompletionAndKeepTheirId() throws Exception {
        long before = countOf("/async");
        HttpResponse<String> r = server.get("/async", "X-Request-ID", "async-1");
        assertThat(r.body()).isEqualTo("async async-1");
        assertThat(r.headers().firstValue("X-Request-ID")).contains("async-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> countOf("/async") == before + 1);
        Timer t = timer("/async", "200");
        // The servlet completes 300 ms after the dispatch returned: latency must include that wait.
        assertThat(t.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(290);
    }

    private static long countOf(String uri) {
        Timer t = timer(uri, "200");
        return t == null ? 0 : t.count();
    }

    @Test
    void requestAndResponseSizesAreCountedWithoutTouchingTheBody() throws Exception {
        String body = "x".repeat(1234);
        HttpResponse<String> r = server.send("POST", "/upload", body);
        assertThat(r.body()).isEqualTo("got 1234");
        DistributionSummary req = server.registry().find(MetricNames.HTTP_SERVER_REQUEST_SIZE).tag("uri", "/upload")
                .summary();
        assertThat(req.totalAmount()).isEqualTo(1234);
        server.get("/users/42");
        DistributionSummary res = server.registry().find(MetricNames.HTTP_SERVER_RESPONSE_SIZE)
                .tag("uri", "/users/{id}").summary();
        // "user 42 é": é is two bytes in UTF-8.
        assertThat(res.max()).isGreaterThanOrEqualTo("user 42 é".getBytes(StandardCharsets.UTF_8).length);
        HttpResponse<String> f = server.get("/framework/size");
        assertThat(server.registry().find(MetricNames.HTTP_SERVER_RESPONSE_SIZE).tag("uri", "/framework/{name}")
                .summary().max()).isEqualTo(f.body().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void trackerScopesNestUnderTheRequestsProfileTree() throws Exception {
        server.get("/slow", "X-Request-ID", "slow-tree-1");
        server.get("/slow", "X-Request-ID", "slow-tree-2");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.perf.profiler().slowest().stream()
                .anyMatch(t -> "slow-tree-2".equals(t.root().tags().get("requestId"))));
        List<ProfileTree> slow = server.perf.profiler().slowest();
        // The first request of a path not yet known as a template is named "GET OTHER", tagged with its URI.
        ProfileTree first = slow.stream().filter(t -> "slow-tree-1".equals(t.root().tags().get("requestId")))
                .findFirst().orElseThrow();
        assertThat(first.name()).isEqualTo("GET OTHER");
        assertThat(first.root().tags()).containsEntry("uri", "/slow");
        ProfileTree tree = slow.stream().filter(t -> "slow-tree-2".equals(t.root().tags().get("requestId")))
                .findFirst().orElseThrow();
        assertThat(tree.name()).isEqualTo("GET /slow");
        assertThat(tree.durationNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(140));
        assertThat(tree.root().children()).extracting(ProfileNode::name).contains("slow.step");
    }

    @Test
    void inFlightRegistryShowsRunningRequestsAndTheirStacks() throws Exception {
        server.block = new CountDownLatch(1);
        server.blocked = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return server.get("/block", "X-Request-ID", "blocked-1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(server.blocked.await(10, TimeUnit.SECONDS)).isTrue();
        List<InFlightRequest> live = server.filter.inFlight();
        InFlightRequest r = live.stream().filter(x -> x.requestId().equals("blocked-1")).findFirst().orElseThrow();
        assertThat(r.path()).isEqualTo("/block");
        assertThat(r.method()).isEqualTo("GET");
        assertThat(server.registry().find(MetricNames.HTTP_SERVER_REQUESTS_ACTIVE).gauge().value())
                .isGreaterThanOrEqualTo(1);
        List<StackTraceElement> stack = server.filter.stackOf("blocked-1").orElseThrow();
        assertThat(stack).anyMatch(e -> e.getClassName().contains("TestServer$App"));
        server.block.countDown();
        assertThat(pending.get(10, TimeUnit.SECONDS).body()).isEqualTo("released");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.filter.inFlight().stream()
                .noneMatch(x -> x.requestId().equals("blocked-1")));
        assertThat(server.filter.stackOf("blocked-1")).isEmpty();
    }

    @Test
    void exclusionsAndStaticAssetsAreNotMeasured() throws Exception {
        server.get("/excluded/thing");
        server.get("/assets/app.css");
        server.get("/perf/ping");
        server.get("/PERF/ping");
        assertThat(server.registry().find(MetricNames.HTTP_SERVER_REQUESTS).timers())
                .noneMatch(t -> {
                    String uri = t.getId().getTag("uri");
                    return uri.startsWith("/excluded") || uri.endsWith(".css") || uri.toLowerCase().startsWith("/perf");
                });
        // Excluded requests still pass through untouched.
        assertThat(server.get("/excluded/thing").body()).isEqualTo("hello");
        Gauge g = server.registry().find(MetricNames.HTTP_SERVER_REQUESTS_ACTIVE).gauge();
        assertThat(g).isNotNull();
    }
}
