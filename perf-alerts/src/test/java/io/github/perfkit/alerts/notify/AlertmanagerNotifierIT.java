package io.github.perfkit.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.Escalation;
import io.github.perfkit.alerts.Sim;
import io.github.perfkit.alerts.ThresholdRule;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real Alertmanager (Debian package {@code prometheus-alertmanager}, binary
 * {@code /usr/bin/prometheus-alertmanager}; {@code apt-get install -y prometheus-alertmanager}) started
 * on a free loopback port with clustering off.
 */
class AlertmanagerNotifierIT {

    private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

    @TempDir
    static Path dir;
    private static Process process;
    private static Thread hook;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        assertThat(BINARY).as("install the Debian package prometheus-alertmanager").isExecutable();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
        process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=").redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        hook = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(hook);
        base = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                HTTP.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private static List<JsonNode> activeAlerts() throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts?active=true")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(body).forEach(out::add);
        return out;
    }

    @Test
    void firesEscalatesAndResolvesInAlertmanager() throws Exception {
        AlertmanagerNotifier am = AlertmanagerNotifier.builder(URI.create(base)).allowPrivateTargets(true)
                .label("service", "shop").build();
        Sim sim = new Sim();
        // Alertmanager compares endsAt with its own clock: the simulated clock starts 30 s behind real
        // time so every time it sends (at most 4 ticks later) is already in the past
        sim.clock.add(Duration.ofMillis(System.currentTimeMillis() - 30_000 - sim.now()));
        try (AlertEngine engine = AlertEngine.builder().history(sim.history).clock(sim.clock)
                .rules(ThresholdRule.builder("cpu-high").metric("perfkit.system.cpu.usage").threshold(0.9)
                        .level(AlertLevel.HIGH).escalation(Escalation.after(3, AlertLevel.CRITICAL))
                        .window(Duration.ofSeconds(1)).build())
                .notifier(am).build()) {
            for (int i = 0; i < 3; i++) {
                sim.advance();
                sim.record("perfkit.system.cpu.usage", 0.95, "host", "web-1");
                engine.evaluate();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> engine.stats().notificationsSent() == 2);
            List<JsonNode> active = activeAlerts();
            assertThat(active).hasSize(1); // escalation kept the identity (same labels)
            JsonNode alert = active.get(0);
            assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("cpu-high");
            assertThat(alert.get("labels").get("severity").asText()).isEqualTo("high");
            assertThat(alert.get("labels").get("host").asText()).isEqualTo("web-1");
            assertThat(alert.get("labels").get("service").asText()).isEqualTo("shop");
            assertThat(alert.get("annotations").get("level").asText()).isEqualTo("critical");
            assertThat(alert.get("status").get("state").asText()).isEqualTo("active");

            sim.advance();
            sim.record("perfkit.system.cpu.usage", 0.1, "host", "web-1");
            engine.evaluate();
            await().atMost(Duration.ofSeconds(15)).until(() -> engine.stats().notificationsSent() == 3);
            await().atMost(Duration.ofSeconds(15)).until(() -> activeAlerts().isEmpty());
        }
    }
}
