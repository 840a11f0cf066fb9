package io.github.perfkit.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.examples.load.LoadGenerator;
import io.github.perfkit.examples.load.LoadResult;
import io.github.perfkit.examples.shop.problems.MemoryLeak;
import io.github.perfkit.examples.shop.problems.Problem;
import io.github.perfkit.examples.shop.problems.ProblemSwitches;
import io.github.perfkit.examples.shop.problems.ThreadLeak;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The shop over real HTTP on a random port, with a small seed: problems switched by the admin endpoint, the shop's
 * requests in Perfkit's {@code /perf/metrics}, the N+1 detected, the cached twin hit, WebSocket traffic measured.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.seed.products=2000", "shop.seed.users=100", "shop.seed.orders-per-user=12", "shop.problems=none"})
class ShopApplicationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    ProblemSwitches switches;

    @Autowired
    ThreadLeak threadLeak;

    @AfterEach
    void allOff() {
        for (Problem p : Problem.values()) {
            switches.set(p, false);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> threadLeak.alive() == 0);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of the Prometheus samples of a metric whose labels contain every fragment. */
    private double metric(String name, String... labelFragments) {
        return new ShopHttp(port).metric(name, labelFragments);
    }

    @Test
    void nPlusOneIsSwitchedOnOverHttpDetectedAndSwitchedOff() throws Exception {
        assertThat(post("/admin/problems/n-plus-one/on").statusCode()).isEqualTo(200);
        assertThat(get("/admin/problems").body()).contains("{\"name\":\"n-plus-one\",\"on\":true");
        double nPlusOneBefore = metric("perfkit_jdbc_n_plus_one_total");

        String batched = get("/api/users/7/orders/batched").body();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> orders = get("/api/users/7/orders");
            assertThat(orders.statusCode()).isEqualTo(200);
            assertThat(orders.body()).isEqualTo(batched).contains("\"items\":[{\"productId\":");
        }

        assertThat(metric("perfkit_http_server_requests_seconds_count", "uri=\"/api/users/{id}/orders\"", "status=\"200\""))
                .isGreaterThanOrEqualTo(3);
        assertThat(metric("perfkit_http_server_requests_seconds_count", "uri=\"/api/users/{id}/orders/batched\""))
                .isGreaterThanOrEqualTo(1);
        // 12 orders, 2 statements each, per request: over the wrapper's N+1 threshold (10) in every request
        assertThat(metric("perfkit_jdbc_n_plus_one_total") - nPlusOneBefore).isGreaterThanOrEqualTo(3);

        HttpResponse<String> off = post("/admin/problems/n-plus-one?enabled=false");
        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(off.body()).contains("{\"name\":\"n-plus-one\",\"on\":false");
        double nPlusOneAfterFix = metric("perfkit_jdbc_n_plus_one_total");
        assertThat(get("/api/users/7/orders").body()).isEqualTo(batched);
        assertThat(metric("perfkit_jdbc_n_plus_one_total")).isEqualTo(nPlusOneAfterFix);

        assertThat(post("/admin/problems/no-such-problem/on").statusCode()).isEqualTo(404);
        assertThat(post("/admin/problems/n-plus-one/maybe").statusCode()).isEqualTo(400);
        assertThat(get("/api/products/999999").statusCode()).isEqualTo(404);
    }

    @Test
    void cachedTwinIsServedFromPerfkitsCacheAfterTheFirstCall() throws Exception {
        double hitsBefore = metric("perfkit_cache_gets_total", "cache=\"sales-report\"", "result=\"hit\"");
        HttpResponse<String> computed = get("/api/reports/sales?category=toys");
        assertThat(computed.statusCode()).isEqualTo(200);
        assertThat(computed.body()).contains("\"category\":\"toys\"", "\"top\":[{");

        HttpResponse<String> first = get("/api/reports/sales/cached?category=toys");
        HttpResponse<String> second = get("/api/reports/sales/cached?category=toys");
        assertThat(first.body()).isEqualTo(computed.body());
        assertThat(second.body()).isEqualTo(computed.body());
        assertThat(metric("perfkit_cache_gets_total", "cache=\"sales-report\"", "result=\"hit\"") - hitsBefore)
                .isGreaterThanOrEqualTo(1);
        assertThat(metric("perfkit_cache_loads_seconds_count", "cache=\"sales-report\"", "result=\"success\"")).isGreaterThanOrEqualTo(1);

        // with uncached-report on, the main endpoint computes every time: no further cache traffic
        post("/admin/problems/uncached-report/on");
        double gets = metric("perfkit_cache_gets_total", "cache=\"sales-report\"");
        assertThat(get("/api/reports/sales?category=toys").body()).isEqualTo(computed.body());
        assertThat(metric("perfkit_cache_gets_total", "cache=\"sales-report\"")).isEqualTo(gets);
    }

    @Test
    void slowQueryAndItsFixFindTheSameProducts() throws Exception {
        String fast = get("/api/products/search?q=model-42").body();
        post("/admin/problems/slow-query/on");
        String slow = get("/api/products/search?q=model-42").body();
        assertThat(slow).isEqualTo(fast).contains("model-42 ");
        assertThat(get("/api/products/search?q=").statusCode()).isEqualTo(400);
    }

    @Test
    void leaksGrowWhileOnAndAreReleasedWhenSwitchedOff() throws Exception {
        post("/admin/problems/all/on");
        for (int i = 1; i <= 3; i++) {
            assertThat(get("/api/products/" + i).statusCode()).isEqualTo(200);
            assertThat(get("/api/orders/" + i + "/track").statusCode()).isEqualTo(200);
            assertThat(get("/api/products/" + i + "/recommendations").statusCode()).isEqualTo(200);
            assertThat(post("/api/inventory/" + i + "/reserve?quantity=2").body()).contains("\"reserved\":true");
        }
        String state = get("/admin/problems").body();
        assertThat(state).contains("\"memoryLeakBytes\":" + 3 * MemoryLeak.ENTRY_BYTES, "\"leakedThreads\":3");
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("shop-order-tracker-"))
                .hasSizeGreaterThanOrEqualTo(3);

        post("/admin/problems/all/off");
        assertThat(get("/admin/problems").body()).contains("\"memoryLeakBytes\":0").doesNotContain("\"on\":true");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/admin/problems").body()).contains("\"leakedThreads\":0"));
    }

    @Test
    void theLaunchersRequestMixIsAnsweredWithEveryProblemOn() throws Exception {
        post("/admin/problems/all/on");
        LoadResult result = LoadGenerator.builder()
                .targets(ShopLauncher.targets("http://127.0.0.1:" + port, 2000, 100, 12))
                .concurrency(4)
                .rate(25)
                .duration(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(30))
                .build()
                .run();

        assertThat(result.overall().requests()).isGreaterThanOrEqualTo(10);
        assertThat(result.overall().failures()).as(result.summary()).isZero();
        assertThat(result.overall().statusClasses()).containsOnlyKeys("2xx");
    }

    @Test
    void stockPricesArePushedOverTheMonitoredWebSocket() throws Exception {
        CompletableFuture<String> firstMessage = new CompletableFuture<>();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/stocks"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        firstMessage.complete(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            assertThat(firstMessage.get(10, TimeUnit.SECONDS)).startsWith("{\"ACME\":");
            ws.sendText("snapshot", true).get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(metric("perfkit_websocket_messages_total", "channel=\"stocks\"", "direction=\"out\""))
                        .isGreaterThanOrEqualTo(2);
                assertThat(metric("perfkit_websocket_messages_total", "channel=\"stocks\"", "direction=\"in\""))
                        .isGreaterThanOrEqualTo(1);
                assertThat(metric("perfkit_websocket_connections_active", "channel=\"stocks\"")).isGreaterThanOrEqualTo(1);
            });
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        }
    }
}
