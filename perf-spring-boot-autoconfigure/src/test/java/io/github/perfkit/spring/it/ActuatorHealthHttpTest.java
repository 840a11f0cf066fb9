package io.github.perfkit.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Actuator and Perfkit health over real HTTP, with Actuator's auto-configuration on the class path (this class runs
 * in the surefire execution {@code actuator}): {@code /actuator/health} includes Perfkit's component with its
 * checks, and Perfkit's {@code /perf/ready} reads Spring's health indicators (a planted one turning DOWN makes it 503).
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always",
                "perfkit.health.spring.refresh-interval=200ms"})
@Import(ActuatorHealthHttpTest.Planted.class)
@DirtiesContext
class ActuatorHealthHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    AtomicBoolean plantedUp;

    @Autowired
    HealthContributorRegistry springHealth;

    @Autowired
    Perf perf;

    /** A Spring health indicator whose status the test switches. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Planted {
        @Bean
        AtomicBoolean plantedUp() {
            return new AtomicBoolean(true);
        }

        @Bean
        HealthIndicator plantedHealthIndicator(AtomicBoolean plantedUp) {
            return () -> plantedUp.get() ? Health.up().build()
                    : Health.down().withDetail("error", "planted failure").build();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void actuatorHealthOverHttpIncludesPerfkitsComponent() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isIn(200, 503);
        JsonNode perfkit = JSON.readTree(health.body()).path("components").path("perfkit");
        assertThat(perfkit.path("status").asText()).isIn("UP", "DEGRADED", "DOWN");
        assertThat(perfkit.path("details").has("deadlocks")).isTrue();
        assertThat(perfkit.path("details").has("heap")).isTrue();
        assertThat(perfkit.path("details").path("deadlocks").path("status").asText()).isEqualTo("UP");
        // Spring's own contributors are reported by Actuator itself, not repeated inside Perfkit's component.
        assertThat(perfkit.path("details").fieldNames()).toIterable().noneMatch(n -> n.startsWith("spring."));
        assertThat(JSON.readTree(health.body()).path("components").path("planted").path("status").asText())
                .isEqualTo("UP");
    }

    @Test
    void perfkitsReadinessOverHttpReadsSpringsHealth() throws Exception {
        try {
            JsonNode ready = JSON.readTree(get("/perf/ready").body());
            assertThat(ready.toString()).contains("spring.planted").contains("spring.diskSpace");
            plantedUp.set(false);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> down = get("/perf/ready");
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body()).contains("spring.planted").contains("planted failure");
            });
        } finally {
            plantedUp.set(true);
        }
    }

    @Test
    void springContributorsRegisteredAfterStartUpAreBridgedAndRemovedOnesDropped() throws Exception {
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
            assertThat(ready.body()).doesNotContain("spring.late").contains("spring.planted");
            assertThat(ready.statusCode()).isEqualTo(200);
        });
    }

    @Test
    void perfkitChecksRegisteredOnTheHubAfterStartUpShowInActuatorsHealth() throws Exception {
        perf.health().register("late-check", () -> HealthResult.degraded("planted late check"));
        try {
            JsonNode perfkit = JSON.readTree(get("/actuator/health").body()).path("components").path("perfkit");
            assertThat(perfkit.path("details").path("late-check").path("message").asText())
                    .isEqualTo("planted late check");
            assertThat(perfkit.path("details").path("late-check").path("status").asText()).isEqualTo("DEGRADED");
            assertThat(perfkit.path("status").asText()).isIn("DEGRADED", "DOWN");
        } finally {
            perf.health().unregister("late-check");
        }
        JsonNode perfkit = JSON.readTree(get("/actuator/health").body()).path("components").path("perfkit");
        assertThat(perfkit.path("details").has("late-check")).isFalse();
    }
}
