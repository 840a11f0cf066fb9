package io.github.perfkit.boot4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.spring.internal.boot4.Boot4PerfkitHealthIndicator;
import io.github.perfkit.spring.internal.boot4.Boot4SpringHealthBridge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Perfkit starter in a real Spring Boot 4 application (Boot 4's dependency management, embedded Tomcat, Actuator
 * with Boot 4's {@code spring-boot-health}), over real HTTP: the application starts, Perfkit's dashboard and metrics
 * answer, {@code /actuator/health} lists Perfkit's component, and Perfkit's {@code /perf/ready} reads the
 * application's own Boot 4 health indicator (503 when it reports DOWN) and contributors registered after start-up.
 */
@SpringBootTest(classes = Boot4App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always",
                "perfkit.health.spring.refresh-interval=200ms",
                // spring-boot-data-redis is on this module's test class path for Boot4RedisConnectionTest: no Redis here
                "spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"})
class Boot4AppHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${local.server.port}")
    int port;

    @Autowired
    AtomicBoolean inventoryUp;

    @Autowired
    HealthContributorRegistry springHealth;

    @Autowired
    Perf perf;

    @Autowired
    Boot4SpringHealthBridge bridge;

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsOnSpringBoot4AndServesTheDashboardAndMetrics() throws Exception {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.");
        assertThat(get("/hello/world").body()).isEqualTo("hello world");

        HttpResponse<String> dashboard = get("/perf/");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(dashboard.body()).containsIgnoringCase("<html").contains("Perfkit");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> metrics = get("/perf/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            // the request above, under Spring MVC's matched pattern, recorded once: by Actuator's observation
            // filter (http_server_requests), not a second time by Perfkit's filter, which backs off for it
            assertThat(metrics.body()).contains("/hello/{name}").contains("http_server_requests_seconds_count")
                    .doesNotContain("perfkit_http_server_requests");
        });
    }

    @Test
    void actuatorHealthListsPerfkitsComponent() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isIn(200, 503);
        JsonNode components = JSON.readTree(health.body()).path("components");
        JsonNode perfkit = components.path("perfkit");
        assertThat(perfkit.path("status").asString()).isIn("UP", "DEGRADED", "DOWN");
        assertThat(perfkit.path("details").path("deadlocks").path("status").asString()).isEqualTo("UP");
        assertThat(perfkit.path("details").has("heap")).isTrue();
        // Spring's own contributors are reported by Actuator itself, not repeated inside Perfkit's component.
        List<String> names = new ArrayList<>(perfkit.path("details").propertyNames());
        assertThat(names).isNotEmpty().noneMatch(n -> n.startsWith("spring."));
        assertThat(components.path("inventory").path("status").asString()).isEqualTo("UP");
        // Perfkit's own component is never bridged back into Perfkit
        assertThat(bridge.registered()).contains("spring.inventory").doesNotContain("spring.perfkit");
        assertThat(springHealth.getContributor("perfkit")).isInstanceOf(Boot4PerfkitHealthIndicator.class);

        perf.health().register("late-check", () -> HealthResult.degraded("planted late check"));
        try {
            JsonNode late = JSON.readTree(get("/actuator/health").body()).path("components").path("perfkit");
            assertThat(late.path("details").path("late-check").path("status").asString()).isEqualTo("DEGRADED");
            assertThat(late.path("status").asString()).isIn("DEGRADED", "DOWN");
        } finally {
            perf.health().unregister("late-check");
        }
    }

    @Test
    void perfReadyReadsTheApplicationsHealthIndicator() throws Exception {
        try {
            HttpResponse<String> ready = get("/perf/ready");
            assertThat(ready.body()).contains("spring.inventory").contains("spring.diskSpace");
            inventoryUp.set(false);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> down = get("/perf/ready");
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body()).contains("spring.inventory").contains("inventory unreachable");
            });
        } finally {
            inventoryUp.set(true);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("/perf/ready").statusCode())
                .isEqualTo(200));
    }

    @Test
    void contributorsRegisteredAfterStartUpAreBridgedAndRemovedOnesDropped() throws Exception {
        HealthIndicator late = () -> Health.down().withDetail("error", "late failure").build();
        springHealth.registerContributor("late", late);
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> ready = get("/perf/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("spring.late").contains("late failure");
            });
        } finally {
            springHealth.unregisterContributor("late");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> ready = get("/perf/ready");
            assertThat(ready.body()).doesNotContain("spring.late").contains("spring.inventory");
            assertThat(ready.statusCode()).isEqualTo(200);
        });
    }
}
