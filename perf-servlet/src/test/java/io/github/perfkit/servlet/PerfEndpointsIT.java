package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.health.HealthResult;
import io.micrometer.core.instrument.Counter;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoints over real sockets: embedded Jetty 12 and java.net.http.HttpClient. */
class PerfEndpointsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.builder().version("9.9.9").build());
        server.perf.profiler().setSamplingRate(1.0);
        server.get("/users/1");
        server.get("/users/2");
        server.get("/slow");
        server.get("/slow");
        server.perf.tick();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("Content-Security-Policy")).contains("default-src 'none'; frame-ancestors 'none'");
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        return JSON.readTree(r.body());
    }

    @Test
    void healthReadyStatusAndPing() throws Exception {
        HttpResponse<String> health = server.get("/perf/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode h = json(health);
        assertThat(h.get("status").asText()).isIn("UP", "DEGRADED");
        assertThat(h.get("components").has("deadlocks")).isTrue();

        HttpResponse<String> ready = server.get("/perf/ready");
        assertThat(json(ready).get("components").has("heap")).isTrue();

        JsonNode status = json(server.get("/perf/status"));
        assertThat(status.get("version").asText()).isEqualTo("9.9.9");
        assertThat(status.get("uptimeMillis").asLong()).isPositive();
        assertThat(status.get("jvm").get("heapUsedBytes").asDouble()).isPositive();
        assertThat(status.get("system").get("cpuCount").asInt()).isPositive();
        assertThat(status.get("health").get("components").size()).isGreaterThanOrEqualTo(3);

        HttpResponse<String> ping = server.get("/perf/ping");
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("pong\n");
        assertThat(ping.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void readinessIs503WhenAComponentIsDown() throws Exception {
        server.perf.health().register("database", () -> HealthResult.down("connection refused"),
                Duration.ofSeconds(1), HealthGroup.READINESS);
        try {
            HttpResponse<String> r = server.get("/perf/ready");
            assertThat(r.statusCode()).isEqualTo(503);
            JsonNode body = json(r);
            assertThat(body.get("status").asText()).isEqualTo("DOWN");
            assertThat(body.get("components").get("database").get("message").asText()).isEqualTo("connection refused");
            assertThat(server.get("/perf/health").statusCode()).isEqualTo(200);
        } finally {
            server.perf.health().unregister("database");
        }
        assertThat(server.get("/perf/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void statusIncludesContributedSections() throws Exception {
        server.perf.register(new io.github.perfkit.core.spi.StatusContributor() {
            @Override
            public String name() {
                return "cache";
            }

            @Override
            public java.util.Map<String, Object> status() {
                return java.util.Map.of("hitRatio", 0.93, "note", "<script>alert(1)</script>");
            }
        });
        try {
            JsonNode status = json(server.get("/perf/status"));
            assertThat(status.get("sections").get("cache").get("hitRatio").asDouble()).isEqualTo(0.93);
            assertThat(status.get("sections").get("cache").get("note").asText()).isEqualTo("<script>alert(1)</script>");
            JsonNode one = json(server.get("/perf/api/sections?name=cache"));
            assertThat(one.get("sections").get("cache").get("hitRatio").asDouble()).isEqualTo(0.93);
            assertThat(server.get("/perf/api/sections?name=alerts").statusCode()).isEqualTo(404);
            assertThat(json(server.get("/perf/api/sections")).get("sections").has("cache")).isTrue();
        } finally {
            server.perf.unregister("cache");
        }
    }

    @Test
    void metricsIsValidPrometheusTextWithEscapedLabels() throws Exception {
        String hostile = "quote\" backslash\\ newline\n end";
        Counter.builder("test.hostile").tag("value", hostile).register(server.registry()).increment(3);
        HttpResponse<String> r = server.get("/perf/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        List<PrometheusText.Sample> samples = PrometheusText.parse(r.body());
        assertThat(samples).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("test_hostile_total");
            assertThat(s.labels()).containsEntry("value", hostile);
            assertThat(s.value()).isEqualTo(3.0);
        });
        assertThat(samples).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("perfkit_http_server_requests_seconds_count");
            assertThat(s.labels()).containsEntry("uri", "/users/{id}").containsEntry("status_class", "2xx");
            assertThat(s.value()).isGreaterThanOrEqualTo(2.0);
        });
        promtoolCheck(r.body());
    }

    @Test
    void theStrictParserRejectsBrokenExpositions() {
        assertThatThrownBy(() -> PrometheusText.parse("a{b=\"c\\x\"} 1\n")).hasMessageContaining("illegal escape");
        assertThatThrownBy(() -> PrometheusText.parse("a{b=\"c\"} 1\na{b=\"c\"} 2\n")).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> PrometheusText.parse("a 1\nb 1\na 2\n")).hasMessageContaining("contiguous");
        assertThatThrownBy(() -> PrometheusText.parse("a one\n")).hasMessageContaining("value");
        assertThatThrownBy(() -> PrometheusText.parse("a 1")).hasMessageContaining("newline");
    }

    /** Runs promtool on the exposition when it is installed (the Debian prometheus package has it). */
    private static void promtoolCheck(String exposition) throws Exception {
        File promtool = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "promtool");
            if (f.canExecute()) {
                promtool = f;
                break;
            }
        }
        if (promtool == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("promtool is not on PATH: under CI=true the Prometheus check must run; "
                        + "install the 'prometheus' apt package in .ci/run");
            }
            return;
        }
        Path file = Files.createTempFile("perfkit-metrics", ".prom");
        try {
            Files.writeString(file, exposition, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectErrorStream(true)
                    .redirectInput(file.toFile()).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(Path.of("target", "promtool-check-metrics.txt"), "exit " + p.exitValue() + "\n" + out);
            // promtool exits 3 for lint warnings (e.g. naming advice) and 1 for errors.
            assertThat(p.exitValue()).as(out).isNotEqualTo(1);
            assertThat(out).doesNotContainIgnoringCase("error");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void jsonApis() throws Exception {
        JsonNode snapshot = json(server.get("/perf/api/snapshot?prefix=perfkit.http&limit=50"));
        assertThat(snapshot.get("meters").size()).isBetween(1, 50);
        assertThat(snapshot.get("meters").get(0).get("name").asText()).startsWith("perfkit.http");

        JsonNode history = json(server.get("/perf/api/history?metric=perfkit.jvm.heap.used&range=5m&step=10s"));
        assertThat(history.get("series").size()).isEqualTo(1);
        assertThat(history.get("series").get(0).get("points").size()).isPositive();
        assertThat(history.get("stepMillis").asLong()).isEqualTo(10_000);

        JsonNode ops = json(server.get("/perf/api/operations?sort=p95&limit=5&period=total"));
        assertThat(ops.get("operations").size()).isBetween(1, 5);

        JsonNode slow = json(server.get("/perf/api/slow-requests?kind=slowest&limit=10"));
        assertThat(slow.get("requests").size()).isPositive();
        JsonNode first = slow.get("requests").get(0);
        assertThat(first.get("durationMillis").asDouble()).isGreaterThanOrEqualTo(140);
        assertThat(first.get("root").get("children").get(0).get("name").asText()).isEqualTo("slow.step");

        JsonNode tree = json(server.get("/perf/api/profile?id=" + first.get("id").asText()));
        assertThat(tree.get("id").asText()).isEqualTo(first.get("id").asText());
        assertThat(server.get("/perf/api/profile?id=nope").statusCode()).isEqualTo(404);

        JsonNode inFlight = json(server.get("/perf/api/in-flight"));
        assertThat(inFlight.get("filterInstalled").asBoolean()).isTrue();

        JsonNode threads = json(server.get("/perf/api/threads?state=runnable&limit=5&depth=3"));
        assertThat(threads.get("total").asInt()).isPositive();
        assertThat(threads.get("byState").get("runnable").asInt()).isPositive();
        assertThat(threads.get("threads").size()).isBetween(1, 5);
        assertThat(threads.get("threads").get(0).get("stack").size()).isLessThanOrEqualTo(3);
        assertThat(server.get("/perf/api/threads?state=sleepy").statusCode()).isEqualTo(400);
    }

    @Test
    void inFlightStackOverHttpAndHead() throws Exception {
        server.block = new java.util.concurrent.CountDownLatch(1);
        server.blocked = new java.util.concurrent.CountDownLatch(1);
        var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return server.get("/block", "X-Request-ID", "stuck-1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(server.blocked.await(10, TimeUnit.SECONDS)).isTrue();
        JsonNode live = json(server.get("/perf/api/in-flight?stack=stuck-1"));
        assertThat(live.get("requests").toString()).contains("stuck-1");
        assertThat(live.get("stack").toString()).contains("TestServer$App");
        server.block.countDown();
        assertThat(pending.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(server.get("/perf/api/in-flight?stack=stuck-1").statusCode()).isEqualTo(400);

        HttpResponse<String> head = server.client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.port + "/perf/status"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void serverSentEventsStreamSummaries() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = server.get("/perf/api/stream?interval=100ms&events=3");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        String[] events = r.body().split("\n\n");
        assertThat(events).hasSize(3);
        for (String e : events) {
            assertThat(e).startsWith("event: summary\ndata: ");
            JsonNode data = JSON.readTree(e.substring(e.indexOf("data: ") + 6));
            assertThat(data.get("http").get("requests").asLong()).isPositive();
            assertThat(data.get("jvm").get("heapUsedBytes").asDouble()).isPositive();
        }
        // Three events 100 ms apart, the first at once.
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
    }

    @Test
    void streamsAreBoundedAndEndWhenClientsLeave() throws Exception {
        List<HttpResponse<java.io.InputStream>> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < PerfEndpointsServlet.MAX_STREAMS; i++) {
                HttpResponse<java.io.InputStream> r = server.client.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + server.port + "/perf/api/stream?interval=100ms"))
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(r.statusCode()).isEqualTo(200);
                open.add(r);
            }
            HttpResponse<String> refused = server.get("/perf/api/stream?events=1");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(json(refused).get("error").asText()).isEqualTo("too_many_streams");
        } finally {
            for (HttpResponse<java.io.InputStream> r : open) {
                r.body().close();
            }
        }
        // Closed clients are noticed at the next write; then streams are available again.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> server.get("/perf/api/stream?interval=100ms&events=1").statusCode() == 200);
    }

    @Test
    void badParametersAre400NamingTheParameter() throws Exception {
        String[][] cases = {
            {"/perf/api/history", "metric"},
            {"/perf/api/history?metric=x&range=-5m", "range"},
            {"/perf/api/history?metric=x&range=99999999d", "range"},
            {"/perf/api/history?metric=x&from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z", "from"},
            {"/perf/api/history?metric=x&range=7d&step=1ms", "step"},
            {"/perf/api/history?metric=%3Cscript%3E", "metric"},
            {"/perf/api/history?metric=x&tags=nocolon", "tags"},
            {"/perf/api/snapshot?limit=99999999999999999999", "limit"},
            {"/perf/api/snapshot?limit=0", "limit"},
            {"/perf/api/snapshot?evil=1", "evil"},
            {"/perf/api/snapshot?limit=1&limit=2", "limit"},
            {"/perf/api/operations?sort=drop%20table", "sort"},
            {"/perf/api/slow-requests?kind=../../etc", "kind"},
            {"/perf/api/profile", "id"},
            {"/perf/health?x=1", "x"},
            {"/perf/api/stream?interval=5ms", "interval"},
            {"/perf/api/stream?interval=2h", "interval"},
            {"/perf/api/stream?events=0", "events"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = server.get(c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            JsonNode body = json(r);
            assertThat(body.get("parameter").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(body.get("message").asText()).isNotBlank();
        }
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        HttpResponse<String> unknown = server.get("/perf/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("not_found");
        assertThat(server.get("/perf/").statusCode()).as("the dashboard page").isEqualTo(200);
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> r = server.send(method, "/perf/health", "x");
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD");
            json(r);
        }
    }

    @Test
    void pathTricksGetTheSameAnswerAsThePlainPath() throws Exception {
        HttpResponse<String> plain = server.get("/perf/ping");
        assertThat(plain.statusCode()).isEqualTo(200);
        // The ambiguous forms reach Perfkit because TestServer relaxes Jetty's URI compliance (as users must):
        // with Jetty's default they get a 400 and a closed connection before any filter runs.
        for (String variant : List.of("/perf;x/ping", "/perf/ping;jsessionid=1", "/perf/%70ing", "/perf/PING",
                "/perf/./ping", "/perf/x/../ping", "/PERF/ping", "/%70erf/ping", "/Perf/Ping", "/perf/ping/",
                "//perf/ping", "/perf//ping", "//perf//ping", "/perf///ping", "/x/..;/perf/ping", "/x/..%3B/perf/ping",
                "/perf%2Fping", "/perf%2fping", "/perf/%2e/ping", "/perf/%2e%2e/perf/ping", "/x/%2e%2e/perf/ping",
                "/PERF//PING", "/%2Fperf/ping")) {
            HttpResponse<String> r = server.get(variant);
            assertThat(r.statusCode()).as(variant).isEqualTo(plain.statusCode());
            assertThat(r.body()).as(variant).isEqualTo(plain.body());
        }
        // JSON endpoints too, not only the text probe.
        HttpResponse<String> health = server.get("/perf/health");
        for (String variant : List.of("/perf//health", "//perf/health", "/x/..;/perf/health", "/perf%2Fhealth")) {
            HttpResponse<String> r = server.get(variant);
            assertThat(r.statusCode()).as(variant).isEqualTo(health.statusCode());
            assertThat(json(r).get("status").asText()).as(variant).isEqualTo(json(health).get("status").asText());
        }
    }

    @Test
    void emptySegmentsKeepTheConnectionOpen() throws Exception {
        // Jetty's default compliance answered "//" with 400 + Connection: close, which broke the next request
        // of a client reusing that connection. One socket, three requests, each answered 200.
        try (Socket socket = new Socket("127.0.0.1", server.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (String[] request : new String[][] {{"/perf//ping", "pong\n"}, {"/app//x", "hello"},
                    {"//perf/ping", "pong\n"}}) {
                out.write(("GET " + request[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(in);
                assertThat(head).as(request[0]).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
                int length = Integer.parseInt(head.replaceAll("(?is).*\r\ncontent-length: *(\\d+).*", "$1"));
                assertThat(new String(in.readNBytes(length), StandardCharsets.UTF_8)).as(request[0]).isEqualTo(request[1]);
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
