package io.github.perfkit.spring.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.findings.FindingCategory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.ClassUtils;

/**
 * The starter alone in a plain Spring MVC app, over real HTTP: the dashboard page, Prometheus metrics with the app's
 * URI templates, an alert firing and listed, a finding served as JSON. Actuator and a Redis client are not on this
 * module's test classpath (checked), so this is also the "no Actuator, no Redis" app.
 */
@SpringBootTest(classes = PlainApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"perfkit.system-metrics=false", "perfkit.tick-interval=200ms", "perfkit.alerts.interval=200ms",
                "perfkit.alerts.rules[0].name=threads-present", "perfkit.alerts.rules[0].metric=perfkit.jvm.threads.live",
                "perfkit.alerts.rules[0].comparison=>=", "perfkit.alerts.rules[0].threshold=1",
                "perfkit.alerts.rules[0].aggregation=last", "perfkit.alerts.rules[0].window=10s"})
class PlainAppHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    Perf perf;

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void neitherActuatorNorARedisClientIsOnTheClasspath() {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(ClassUtils.isPresent("org.springframework.boot.actuate.health.HealthIndicator", loader)).isFalse();
        assertThat(ClassUtils.isPresent("io.lettuce.core.RedisClient", loader)).isFalse();
        assertThat(ClassUtils.isPresent("org.springframework.data.redis.connection.RedisConnectionFactory", loader))
                .isFalse();
    }

    @Test
    void dashboardPageIsServed() throws Exception {
        HttpResponse<String> page = get("/perf/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/html"));
        assertThat(page.body()).containsIgnoringCase("<!doctype html").contains("Perfkit");
    }

    @Test
    void metricsCarryTheAppsUriTemplates() throws Exception {
        assertThat(get("/orders/42").body()).isEqualTo("order 42");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<String> metrics = get("/perf/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("text/plain"));
            assertThat(metrics.body()).contains("perfkit_http_server_requests_seconds_count")
                    .contains("uri=\"/orders/{id}\"").doesNotContain("uri=\"/orders/42\"");
        });
    }

    @Test
    void aFiringAlertIsListed() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> alerts = get("/perf/api/sections?name=alerts");
            assertThat(alerts.statusCode()).isEqualTo(200);
            assertThat(alerts.body()).contains("threads-present");
        });
    }

    @Test
    void findingsAreServedAsJson() throws Exception {
        Instant now = Instant.now();
        perf.diagnosis().report(new Finding(Finding.idOf(FindingCategory.values()[0], "com.shop.Orders.slowLookup",
                null), FindingCategory.values()[0], "com.shop.Orders.slowLookup", null, Map.of("share", 0.42),
                List.of("com.shop.Orders.slowLookup(Orders.java:42)"), now, now, "look at slowLookup", true));
        HttpResponse<String> findings = get("/perf/api/sections?name=findings");
        assertThat(findings.statusCode()).isEqualTo(200);
        assertThat(findings.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(findings.body()).contains("\"findings\"").contains("com.shop.Orders.slowLookup")
                .contains("look at slowLookup").contains("\"active\":1");
    }
}
