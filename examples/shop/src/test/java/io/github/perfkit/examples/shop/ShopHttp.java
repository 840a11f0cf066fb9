package io.github.perfkit.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.examples.load.LoadGenerator;
import io.github.perfkit.examples.load.LoadResult;
import io.github.perfkit.examples.load.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop and its Perfkit endpoints over real HTTP, for the tests: the admin endpoint, the {@code alerts} and
 * {@code findings} sections, POSTs with the CSRF token, and background load from the load generator.
 */
final class ShopHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ShopHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    ShopHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    String base() {
        return base;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build());
    }

    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A POST to Perfkit's endpoints, with the CSRF token of {@code GET /perf/api/csrf} in its header. */
    HttpResponse<String> postWithCsrf(String path) {
        JsonNode csrf = json("/perf/api/csrf");
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header(csrf.path("header").asText(), csrf.path("token").asText())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    JsonNode json(String path) {
        HttpResponse<String> res = get(path);
        assertThat(res.statusCode()).as("GET %s: %s", path, res.body()).isEqualTo(200);
        return parse(res.body());
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    /** Sum of the Prometheus samples ({@code /perf/metrics}) of a metric whose labels contain every fragment. */
    double metric(String name, String... labelFragments) {
        HttpResponse<String> metrics = get("/perf/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        double sum = 0;
        outer:
        for (String line : metrics.body().split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            for (String f : labelFragments) {
                if (!line.contains(f)) {
                    continue outer;
                }
            }
            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }

    /** Switches a problem through the admin endpoint and checks the answer. */
    void problem(String name, boolean on) {
        HttpResponse<String> res = post("/admin/problems/" + name + (on ? "/on" : "/off"));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.body()).contains("{\"name\":\"" + name + "\",\"on\":" + on);
    }

    /** The {@code alerts} section: active (pending and firing) alerts. */
    List<JsonNode> activeAlerts() {
        List<JsonNode> out = new ArrayList<>();
        json("/perf/api/sections?name=alerts").path("sections").path("alerts").path("active").forEach(out::add);
        return out;
    }

    /** The {@code findings} section's findings (active first). */
    List<JsonNode> findings() {
        List<JsonNode> out = new ArrayList<>();
        json("/perf/api/sections?name=findings").path("sections").path("findings").path("findings").forEach(out::add);
        return out;
    }

    /** Both sections, for failure messages. */
    String sections() {
        return get("/perf/api/sections?name=alerts").body() + "\n" + get("/perf/api/sections?name=findings").body();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Runs the load generator in the background until {@link Load#close()}.
     *
     * @param concurrency workers
     * @param rate requests per second, 0 for a closed loop
     * @param targets {@code [WEIGHT*][METHOD ]PATH} relative to the shop, e.g. {@code POST /api/inventory/{1..9}/reserve}
     */
    Load load(int concurrency, double rate, String... targets) {
        List<Target> list = new ArrayList<>();
        for (String t : targets) {
            String method = t.startsWith("POST ") ? "POST " : "";
            list.add(Target.parse(method + base + t.substring(method.length())));
        }
        LoadGenerator generator = LoadGenerator.builder().targets(list).concurrency(concurrency).rate(rate)
                .duration(Duration.ZERO).requestTimeout(Duration.ofSeconds(30)).build();
        CompletableFuture<LoadResult> result = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                result.complete(generator.run());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, "test-load");
        runner.setDaemon(true);
        runner.start();
        return new Load(generator, result);
    }

    /** Background load; closing it stops the generator and returns what it measured. */
    static final class Load implements AutoCloseable {
        private final LoadGenerator generator;
        private final CompletableFuture<LoadResult> result;

        Load(LoadGenerator generator, CompletableFuture<LoadResult> result) {
            this.generator = Objects.requireNonNull(generator, "generator");
            this.result = Objects.requireNonNull(result, "result");
        }

        @Override
        public void close() {
            generator.stop();
            try {
                LoadResult r = result.get(60, TimeUnit.SECONDS);
                LOG.info("load stopped:\n{}", r.summary());
                assertThat(r.overall().requests()).as(r.summary()).isPositive();
                assertThat(r.overall().failures()).as(r.summary()).isZero();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the load generator did not stop", e);
            }
        }
    }
}
