package io.github.perfkit.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The "Redis down" runbook of docs/TROUBLESHOOTING.md, run for real: the example keeps answering while its
 * redis-server is stopped, the L2 meters and the cache section show the outage, health stays UP, and when
 * Redis comes back on the same port the breaker closes and every L1 is cleared, without a restart.
 */
class RedisOutageIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RedisProcess redis;
    private static PlainServletApp app;

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(20)).GET().build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void servesThroughARedisOutageAndRecoversByItself() throws Exception {
        redis = RedisProcess.start();
        int port = redis.port();
        app = PlainServletApp.start(new PlainServletApp.Settings("127.0.0.1", 0, redis.uri(), null, false));
        MeterRegistry registry = app.perf().registry();
        assertThat(get("/products/1").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/perf/api/sections?name=cache").body()).contains("\"l2\":\"closed\""));
        double clearsBefore = clears(registry);

        redis.close();                                                        // the outage
        for (int id = 2; id <= 40; id++) {
            HttpResponse<String> r = get("/products/" + id);
            assertThat(r.statusCode()).as("GET /products/%d during the outage", id).isEqualTo(200);
            assertThat(r.body()).contains("\"id\":" + id);
        }
        assertThat(registry.get("perfkit.cache.l2.errors").counters().stream().mapToDouble(Counter::count).sum())
                .isPositive();
        assertThat(registry.get("perfkit.cache.l2.breaker.state").gauge().value()).isNotZero();
        assertThat(get("/perf/api/sections?name=cache").body()).containsPattern("\"l2\":\"(open|half_open)\"");
        HttpResponse<String> health = get("/perf/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");

        redis = RedisProcess.start(port);                                     // Redis is back
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(get("/products/41").statusCode()).isEqualTo(200);      // traffic lets the breaker probe
            assertThat(registry.get("perfkit.cache.l2.breaker.state").gauge().value()).isZero();
            assertThat(clears(registry)).isGreaterThan(clearsBefore);           // resubscribed: L1 cleared to be safe
        });
        assertThat(get("/perf/api/sections?name=cache").body()).contains("\"l2\":\"closed\"");
    }

    private static double clears(MeterRegistry registry) {
        Counter c = registry.find("perfkit.cache.l1.clears").tag("reason", "resubscribed").counter();
        return c == null ? 0 : c.count();
    }
}
