package io.github.perfkit.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of the example share a real Redis (L2 cache, alert store), and the Grafana dashboard shipped in
 * docs/grafana only uses metric and label names that a real {@code /perf/metrics} scrape of the example
 * contains, so the dashboard cannot rot when a meter is renamed; its queries are valid PromQL (promtool)
 * and every one returns data from a real Prometheus scraping both nodes under traffic.
 */
class GrafanaDashboardIT {

    private static final Path DASHBOARD = Path.of("..", "..", "docs", "grafana", "perfkit-dashboard.json");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** A metric name directly followed by a label selector: every metric in the dashboard is selected by job/instance. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    /** Grafana's variable query {@code label_values(metric, label)}. */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[,{]");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    /** Labels Prometheus adds to every scraped series (and {@code le} of histogram buckets, present in the scrape). */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static RedisProcess redis;
    private static PlainServletApp nodeA;
    private static PlainServletApp nodeB;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisProcess.start();
        nodeA = PlainServletApp.start(new PlainServletApp.Settings("127.0.0.1", 0, redis.uri(), null, false));
        nodeB = PlainServletApp.start(new PlainServletApp.Settings("127.0.0.1", 0, redis.uri(), null, false));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {nodeB, nodeA, redis}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort: the others still close
                }
            }
        }
    }

    static HttpResponse<String> get(PlainServletApp node, String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(20)).GET().build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void aProductLoadedOnOneNodeIsAnL2HitOnTheOther() throws Exception {
        assertThat(get(nodeA, "/products/1234").statusCode()).isEqualTo(200);   // loaded from H2, written to L1 + Redis
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(get(nodeB, "/products/1234").body()).contains("\"name\":\"Product 1234\"");
            assertThat(nodeB.perf().registry().get("perfkit.cache.gets")
                    .tags("cache", "products", "level", "l2", "result", "hit").functionCounter().count()).isPositive();
        });
        assertThat(nodeB.perf().registry().get("perfkit.cache.loads").tags("cache", "products").timers())
                .allSatisfy(t -> assertThat(t.count()).isZero());                    // node B never hit the database
    }

    @Test
    void everyMetricAndLabelInTheGrafanaDashboardIsInARealScrape() throws Exception {
        // traffic that makes every series family of the dashboard appear: 2xx, 4xx, cache hits/misses, N+1, a 5xx-free run
        for (String path : List.of("/products/5", "/products/5", "/products/424242", "/products?category=garden",
                "/orders/recent", "/nope")) {
            get(nodeA, path);
        }
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
                assertThat(panel.path("targets")).as("panel %s has queries", panel.path("title")).isNotEmpty();
            }
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            expressions.add(variable.path("definition").asText());
        }
        assertThat(expressions).hasSizeGreaterThan(30);
        Set<String> titles = new HashSet<>();
        dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        assertThat(titles).contains("Request rate by status class", "Latency p50 / p95 / p99 (all endpoints)",
                "Error rate (5xx share)", "CPU", "Heap", "GC", "Threads", "Cache hit ratio", "Alerts active by level");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Set<String>> scrape = scrape(get(nodeA, "/perf/metrics").body());
            if (!scrape.containsKey("perfkit_jvm_gc_pause_seconds_sum")) {
                System.gc();   // the GC pause timer appears with the first collection it sees
            }
            Set<String> missing = new TreeSet<>();
            for (String expr : expressions) {
                Matcher m = SELECTOR.matcher(expr);
                Set<String> labelsOfExpr = new HashSet<>(TARGET_LABELS);
                boolean any = false;
                while (m.find()) {
                    any = true;
                    String metric = m.group(1);
                    Set<String> labels = scrape.get(metric);
                    if (labels == null) {
                        missing.add("metric " + metric);
                        continue;
                    }
                    labelsOfExpr.addAll(labels);
                    Matcher l = MATCHER.matcher(m.group(2));
                    while (l.find()) {
                        if (!TARGET_LABELS.contains(l.group(1)) && !labels.contains(l.group(1))) {
                            missing.add("label " + l.group(1) + " of " + metric);
                        }
                    }
                }
                Matcher v = LABEL_VALUES.matcher(expr);
                while (v.find()) {
                    any = true;
                    if (!scrape.containsKey(v.group(1))) {
                        missing.add("metric " + v.group(1));
                    }
                }
                assertThat(any).as("expression selects at least one metric: %s", expr).isTrue();
                Matcher g = GROUPING.matcher(expr);
                while (g.find()) {
                    for (String label : g.group(1).split(",")) {
                        if (!label.isBlank() && !labelsOfExpr.contains(label.strip())) {
                            missing.add("grouping label " + label.strip() + " in " + expr);
                        }
                    }
                }
            }
            assertThat(missing).as("names the dashboard uses but the scrape lacks").isEmpty();
        });
    }

    @Test
    void everyDashboardQueryIsValidPromQlAndTheDocumentedScrapeConfigIsValid() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "promtool"));
        StringBuilder rules = new StringBuilder("groups:\n  - name: perfkit-dashboard\n    rules:\n");
        int n = 0;
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText().replace("$__rate_interval", "1m")
                        .replace("$job", ".*").replace("$instance", ".*");
                rules.append("      - record: perfkit:dashboard_check_").append(++n).append('\n')
                        .append("        expr: '").append(expr.replace("'", "''")).append("'\n");
            }
        }
        Path rulesFile = Files.writeString(dir.resolve("dashboard-rules.yml"), rules);
        assertThat(promtool("check", "rules", rulesFile.toString())).contains("SUCCESS: " + n + " rules found");

        String deployment = Files.readString(Path.of("..", "..", "docs", "DEPLOYMENT.md"));
        Matcher yaml = Pattern.compile("```yaml\\R(scrape_configs:.*?)```", Pattern.DOTALL).matcher(deployment);
        assertThat(yaml.find()).as("DEPLOYMENT.md has a scrape_configs yaml block").isTrue();
        Path token = Files.writeString(dir.resolve("token"), "0123456789abcdef0123");
        Path config = Files.writeString(dir.resolve("prometheus.yml"),
                yaml.group(1).replace("/etc/prometheus/perfkit-token", token.toAbsolutePath().toString()));
        assertThat(yaml.group(1)).contains("metrics_path: /perf/metrics");
        assertThat(promtool("check", "config", config.toString())).contains("SUCCESS");
    }

    @Test
    void everyDashboardQueryReturnsDataFromARealPrometheusScrapingBothNodes() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "prometheus-" + System.nanoTime()));
        int promPort;
        try (ServerSocket s = new ServerSocket(0)) {
            promPort = s.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n"
                + "  scrape_timeout: 1s\nscrape_configs:\n  - job_name: shop\n    metrics_path: /perf/metrics\n"
                + "    static_configs:\n      - targets: ['127.0.0.1:" + nodeA.port() + "', '127.0.0.1:" + nodeB.port()
                + "']\n");
        // the GC pause timer appears with the first collection the JVM reports; make sure there was one
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            if (nodeA.perf().registry().find("perfkit.jvm.gc.pause").timer() == null) {
                System.gc();
            }
            assertThat(nodeA.perf().registry().find("perfkit.jvm.gc.pause").timer()).isNotNull();
        });
        Process prometheus = startOnPath("prometheus", "apt-get install -y prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort);
        Thread hook = new Thread(prometheus::destroyForcibly, "prometheus-test-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread traffic = new Thread(() -> {
            int i = 0;
            while (running.get()) {
                try {
                    for (PlainServletApp node : new PlainServletApp[] {nodeA, nodeB}) {
                        get(node, "/products/" + (1 + i % 40));
                        get(node, i % 5 == 0 ? "/orders/recent" : "/products?category=books");
                        if (i % 7 == 0) {
                            get(node, "/nope");
                        }
                    }
                    i++;
                    Thread.sleep(20);
                } catch (IOException e) {
                    // a request failing while the nodes stop at the end does not matter
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "dashboard-traffic");
        traffic.setDaemon(true);
        traffic.start();
        try {
            List<String> expressions = new ArrayList<>();
            for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    expressions.add(target.path("expr").asText().replace("$__rate_interval", "10s")
                            .replace("$job", "shop").replace("$instance", ".*"));
                }
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> query(promPort, "count(up{job=\"shop\"} == 1)").path(0).path("value").path(1)
                            .asText().equals("2"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<String> empty = new ArrayList<>();
                for (String expr : expressions) {
                    if (query(promPort, expr).isEmpty()) {
                        empty.add(expr);
                    }
                }
                assertThat(empty).as("dashboard queries without data from a real Prometheus").isEmpty();
            });
            JsonNode hitRatio = query(promPort, expressions.stream().filter(e -> e.contains("result=\"hit\"")
                    && !e.contains("level=\"l1\",result")).findFirst().orElseThrow());
            assertThat(hitRatio.get(0).path("value").path(1).asDouble()).isBetween(0.0, 1.0);
            JsonNode jobs = queryApi(promPort, "/api/v1/label/job/values");
            assertThat(jobs.toString()).contains("shop");           // what the dashboard's $job variable lists
        } finally {
            running.set(false);
            traffic.interrupt();
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private static JsonNode query(int port, String promql) throws IOException, InterruptedException {
        return queryApi(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    private static JsonNode queryApi(int port, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.path("status").asText()).as(r.body()).isEqualTo("success");
        return body.path("data");
    }

    private static Process startOnPath(String name, String install, String... args) throws IOException {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path bin = Path.of(d, name);
            if (Files.isExecutable(bin)) {
                List<String> command = new ArrayList<>(List.of(bin.toString()));
                command.addAll(List.of(args));
                return new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(Path.of("target", name + "-" + System.nanoTime() + ".log").toFile()).start();
            }
        }
        throw new IllegalStateException(name + " is not on PATH: " + install);
    }

    /** Runs promtool from PATH (CI installs it with the prometheus package); fails when it is missing or fails. */
    private static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("promtool");
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("promtool is not on PATH: apt-get install -y prometheus", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    /** Metric name to the label names it carries, from Prometheus text format. */
    static Map<String, Set<String>> scrape(String text) {
        Map<String, Set<String>> out = new HashMap<>();
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int end = brace >= 0 && brace < space ? brace : space;
            Set<String> labels = out.computeIfAbsent(line.substring(0, end), k -> new HashSet<>());
            if (end == brace) {
                Matcher m = label.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (m.find()) {
                    labels.add(m.group(1));
                }
            }
        }
        return out;
    }
}
