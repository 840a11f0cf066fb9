package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (the Debian {@code prometheus} package) scrapes {@code /perf/metrics} on
 * loopback; series, including a label value with a quote, a backslash and a newline, are read
 * back through its HTTP API. Under {@code CI=true} a missing {@code prometheus} binary fails.
 */
class PrometheusScrapeIT {

    private static final String HOSTILE = "quote\" backslash\\ newline\n end";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static Process prometheus;
    private static Path dir;
    private static int promPort;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.ofDefaults());
        Counter.builder("test.scraped").tag("value", HOSTILE).register(server.registry()).increment(7);
        server.get("/users/1");
        File binary = onPath("prometheus");
        if (binary == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("prometheus is not on PATH: under CI=true this test must run; install the "
                        + "'prometheus' apt package in .ci/run");
            }
            return;
        }
        dir = Files.createTempDirectory("perfkit-prometheus");
        try (ServerSocket s = new ServerSocket(0)) {
            promPort = s.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "scrape_configs:\n  - job_name: perfkit\n    metrics_path: /perf/metrics\n"
                + "    static_configs:\n      - targets: ['127.0.0.1:" + server.port + "']\n");
        prometheus = new ProcessBuilder(binary.getPath(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Process p = prometheus;
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        server.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void prometheusScrapesTheEndpointAndReadsSeriesBack() throws Exception {
        if (prometheus == null) {
            return;
        }
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> query("up{job=\"perfkit\"}").path(0).path("value").path(1).asText().equals("1"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> query("test_scraped_total").size() == 1);
        JsonNode hostile = query("test_scraped_total").get(0);
        assertThat(hostile.get("metric").get("value").asText()).isEqualTo(HOSTILE);
        assertThat(hostile.get("value").get(1).asDouble()).isEqualTo(7.0);
        JsonNode requests = query("perfkit_http_server_requests_seconds_count{uri=\"/users/{id}\"}");
        assertThat(requests.size()).isEqualTo(1);
        assertThat(requests.get(0).get("metric").get("status_class").asText()).isEqualTo("2xx");
        assertThat(requests.get(0).get("value").get(1).asDouble()).isGreaterThanOrEqualTo(1.0);
    }

    private static JsonNode query(String promql) throws Exception {
        HttpResponse<String> r = server.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort
                        + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("status").asText()).as(r.body()).isEqualTo("success");
        return body.get("data").get("result");
    }

    private static File onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f;
            }
        }
        return null;
    }
}
