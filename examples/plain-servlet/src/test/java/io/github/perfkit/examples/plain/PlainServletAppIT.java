package io.github.perfkit.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Starts the example on a free port and talks to it over real HTTP, as a user would. */
class PlainServletAppIT {

    private static PlainServletApp app;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        app = PlainServletApp.start(new PlainServletApp.Settings("127.0.0.1", 0, null, null, false));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(20)).GET().build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void businessEndpointsAnswerFromTheDatabaseAndTheCache() throws Exception {
        HttpResponse<String> first = get("/products/42");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"id\":42", "\"name\":\"Product 0042\"", "\"category\":\"music\"");
        assertThat(get("/products/42").body()).isEqualTo(first.body());   // second read: an L1 hit
        assertThat(get("/products/999999").statusCode()).isEqualTo(404);
        assertThat(get("/products/abc").statusCode()).isEqualTo(400);
        HttpResponse<String> books = get("/products?category=books");
        assertThat(books.statusCode()).isEqualTo(200);
        assertThat(books.body()).startsWith("[{").contains("\"category\":\"books\"").doesNotContain("\"games\"");
        HttpResponse<String> orders = get("/orders/recent");
        assertThat(orders.statusCode()).isEqualTo(200);
        assertThat(orders.body()).contains("\"orders\":20");
    }

    @Test
    void healthIsUpWithTheDatabaseCheck() throws Exception {
        HttpResponse<String> health = get("/perf/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> ready = get("/perf/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\"");
        // Path tricks Jetty would refuse with 400 by default reach Perfkit (the example relaxes URI compliance).
        for (String variant : new String[] {"/perf//ready", "//perf/ready", "/x/..;/perf/ready", "/perf%2Fready"}) {
            HttpResponse<String> r = get(variant);
            assertThat(r.statusCode()).as(variant).isEqualTo(200);
            assertThat(r.body()).as(variant).contains("\"status\":\"UP\"", "\"database\"");
        }
    }

    @Test
    void metricsListTheExampleOperationsHttpRequestsAndCache() throws Exception {
        assertThat(get("/products/7").statusCode()).isEqualTo(200);
        assertThat(get("/products/7").statusCode()).isEqualTo(200);
        String metrics = get("/perf/metrics").body();
        Files.writeString(Path.of("target", "scrape.txt"), metrics);
        assertThat(metrics)
                .contains("catalog_product_seconds_count")
                .contains("catalog_product_load_seconds_count")
                .containsPattern("perfkit_http_server_requests_seconds_count\\{[^}]*uri=\"/products/\\{id}\"")
                .containsPattern("perfkit_cache_gets_total\\{[^}]*cache=\"products\"[^}]*result=\"hit\"")
                .containsPattern("perfkit_http_server_requests_seconds_bucket\\{[^}]*uri=\"/products/\\{id}\",le=\"0\\.5\"}")
                .contains("perfkit_alerts_active");
        String operations = get("/perf/api/operations").body();
        assertThat(operations).contains("\"catalog.product\"", "\"catalog.product.load\"");
    }

    @Test
    void nPlusOneIsReportedInTheJdbcSection() throws Exception {
        assertThat(get("/orders/recent").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/perf/api/sections?name=jdbc.default").body())
                        .contains("\"nPlusOne\":[{\"shape\":\"select id, name, category, price from product where id = ?\"")
                        .contains("ProductRepository.find"));
        assertThat(app.perf().registry().find("perfkit.jdbc.n.plus.one").counter()).isNotNull()
                .satisfies(c -> assertThat(c.count()).isPositive());
    }

    @Test
    void dashboardPageIsServed() throws Exception {
        HttpResponse<String> page = get("/perf/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("<html").contains("dashboard.js");
        assertThat(get("/perf/dashboard.js").statusCode()).isEqualTo(200);
    }
}
