package io.github.perfkit.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.AlertState;
import io.github.perfkit.alerts.Notifier;
import io.github.perfkit.alerts.Sim;
import io.github.perfkit.alerts.ThresholdRule;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real local HTTP server: one that accepts, one that fails with 500, one that hangs, one that redirects. */
class WebhookNotifierTest {

    private static HttpServer server;
    private static ExecutorService executor;
    private static final List<String> bodies = new CopyOnWriteArrayList<>();
    private static final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    private static final AtomicInteger failures = new AtomicInteger();
    private static final AtomicInteger hanging = new AtomicInteger();
    private static final CountDownLatch release = new CountDownLatch(1);
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/ok", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            headers.add(Map.copyOf(ex.getRequestHeaders()));
            reply(ex, 200);
        });
        server.createContext("/fail", ex -> {
            failures.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            reply(ex, 500);
        });
        server.createContext("/hang", ex -> {
            hanging.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex, 200);
        });
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", base + "/ok");
            reply(ex, 302);
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private static void reply(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private static WebhookNotifier.Builder webhook(String path) {
        return WebhookNotifier.builder(URI.create(base + path)).allowPrivateTargets(true);
    }

    private static AlertNotification notification(AlertLevel level) {
        AlertEvent e = new AlertEvent("a1", "cpu-high", "cpu", Map.of("host", "a"), level, AlertState.FIRING,
                AlertEvent.Kind.FIRING, "[" + level + "] cpu-high on cpu", "avg of cpu is 0.95", 0.95,
                List.of(new io.github.perfkit.alerts.DataPoint(1000, 0.95)), List.of("look at top"),
                Instant.ofEpochSecond(1), Instant.ofEpochSecond(1), null, Instant.ofEpochSecond(1), 1, null);
        return new AlertNotification(List.of(e), Instant.ofEpochSecond(1));
    }

    @Test
    void postsJsonWithConfiguredHeadersThroughTheEngine() throws Exception {
        int before = bodies.size();
        Sim sim = new Sim();
        try (AlertEngine engine = AlertEngine.builder().history(sim.history).clock(sim.clock)
                .rules(ThresholdRule.builder("cpu-high").metric("cpu").threshold(0.9).level(AlertLevel.HIGH).build())
                .notifier(webhook("/ok").bearerToken("s3cret").header("X-Team", "ops").build()).build()) {
            sim.advance();
            sim.record("cpu", 0.95, "host", "a");
            engine.evaluate();
            await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() > before);
        }
        JsonNode json = new ObjectMapper().readTree(bodies.get(before));
        assertThat(json.get("status").asText()).isEqualTo("firing");
        assertThat(json.get("maxLevel").asText()).isEqualTo("high");
        JsonNode alert = json.get("alerts").get(0);
        assertThat(alert.get("rule").asText()).isEqualTo("cpu-high");
        assertThat(alert.get("subject").asText()).isEqualTo("cpu{host=a}");
        assertThat(alert.get("labels").get("host").asText()).isEqualTo("a");
        assertThat(alert.get("firedBy").get(0).get("v").asDouble()).isCloseTo(0.95, org.assertj.core.data.Offset.offset(1e-6));
        Map<String, List<String>> h = headers.get(before);
        assertThat(h.get("Authorization")).containsExactly("Bearer s3cret");
        assertThat(h.get("X-team")).containsExactly("ops");
        assertThat(h.get("Content-type")).containsExactly("application/json");
    }

    @Test
    void slackFormat() throws Exception {
        int before = bodies.size();
        webhook("/ok").format(WebhookNotifier.Format.SLACK).basicAuth("u", "p").build()
                .send(notification(AlertLevel.CRITICAL));
        JsonNode json = new ObjectMapper().readTree(bodies.get(before));
        assertThat(json.get("text").asText()).isEqualTo("[CRITICAL] cpu-high on cpu");
        assertThat(json.get("attachments").get(0).get("color").asText()).isEqualTo("danger");
        assertThat(json.get("attachments").get(0).get("text").asText()).contains("avg of cpu").contains("• look at top");
        assertThat(headers.get(before).get("Authorization")).containsExactly("Basic dTpw");
    }

    @Test
    void aServerAnswering500IsRetriedWithBackoffUpToTheCap() {
        int before = failures.get();
        Sim sim = new Sim();
        try (AlertEngine engine = AlertEngine.builder().history(sim.history).clock(sim.clock)
                .delivery(10, 5, Duration.ofMillis(10), Duration.ofMillis(80))
                .rules(ThresholdRule.builder("cpu-high").metric("cpu").threshold(0.9).build())
                .notifier(webhook("/fail").build()).build()) {
            sim.advance();
            sim.record("cpu", 0.95);
            engine.evaluate();
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.stats().notificationsFailed() == 1);
            assertThat(failures.get() - before).isEqualTo(5);
            assertThat(engine.stats().notificationsSent()).isZero();
        }
    }

    @Test
    void aHangingServerNeverDelaysEvaluationNorOtherNotifiers() {
        List<AlertNotification> other = new CopyOnWriteArrayList<>();
        Notifier collecting = new Notifier() {
            @Override
            public String name() {
                return "other";
            }

            @Override
            public void send(AlertNotification n) {
                other.add(n);
            }
        };
        Sim sim = new Sim();
        try (AlertEngine engine = AlertEngine.builder().history(sim.history).clock(sim.clock)
                .delivery(10, 2, Duration.ofMillis(10), Duration.ofMillis(10))
                .rules(ThresholdRule.builder("cpu-high").metric("cpu").threshold(0.9).window(Duration.ofSeconds(1))
                        .build())
                .notifier(webhook("/hang").readTimeout(Duration.ofSeconds(20)).build())
                .notifier(collecting).build()) {
            for (int i = 0; i < 6; i++) { // fire, resolve, fire, resolve, fire, resolve
                sim.advance();
                sim.record("cpu", i % 2 == 0 ? 0.95 : 0.1);
                engine.evaluate();
            }
            // all six evaluations returned and the other notifier got every notification while the
            // webhook's first request is still held by the server
            await().atMost(Duration.ofSeconds(10)).until(() -> other.size() == 6 && hanging.get() >= 1);
            assertThat(release.getCount()).isEqualTo(1);
            assertThat(engine.stats().evaluations()).isEqualTo(6);
        }
    }

    @Test
    void readTimeoutBoundsAHangingServer() {
        WebhookNotifier n = webhook("/hang").readTimeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> n.send(notification(AlertLevel.HIGH)))
                .isInstanceOf(java.net.SocketTimeoutException.class);
    }

    @Test
    void redirectsAreNotFollowed() {
        int before = bodies.size();
        assertThatThrownBy(() -> webhook("/redirect").build().send(notification(AlertLevel.HIGH)))
                .isInstanceOf(IOException.class).hasMessageContaining("redirect (302), not followed");
        assertThat(bodies).hasSize(before);
    }

    @Test
    void internalTargetsAreRefusedUnlessAllowed() throws Exception {
        WebhookNotifier strict = WebhookNotifier.builder(URI.create(base + "/ok")).build();
        int before = bodies.size();
        assertThatThrownBy(() -> strict.send(notification(AlertLevel.HIGH))).isInstanceOf(IOException.class)
                .hasMessageContaining("internal address 127.0.0.1; refused");
        assertThat(bodies).hasSize(before);
        for (String internal : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "100.64.0.1", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "224.0.0.1")) {
            assertThat(WebhookNotifier.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : List.of("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111")) {
            assertThat(WebhookNotifier.isInternal(InetAddress.getByName(external))).as(external).isFalse();
        }
        assertThatThrownBy(() -> WebhookNotifier.checkTarget("[::1]", false)).hasMessageContaining("refused");
        WebhookNotifier.checkTarget("93.184.216.34", false);
        assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("file:///etc/passwd")).build())
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> webhook("/ok").header("X-Evil", "a\r\nHost: b"))
                .hasMessageContaining("CR/LF");
        assertThat(webhook("/ok").bearerToken("s3cret").build().toString()).doesNotContain("s3cret");
    }

    @Test
    void theNameIsResolvedOncePerSendAndTheVettedAddressIsTheOneConnectedTo() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        int port = server.getAddress().getPort();
        WebhookNotifier n = WebhookNotifier.builder(URI.create("http://alerts.example.test:" + port + "/ok"))
                .allowPrivateTargets(true).resolver(host -> {
                    assertThat(host).isEqualTo("alerts.example.test");
                    lookups.incrementAndGet();
                    return new InetAddress[] {InetAddress.getLoopbackAddress()};
                }).build();
        int before = bodies.size();
        n.send(notification(AlertLevel.HIGH));
        n.send(notification(AlertLevel.HIGH));
        assertThat(lookups.get()).isEqualTo(2);
        assertThat(bodies).hasSize(before + 2);
        assertThat(headers.get(headers.size() - 1).get("Host")).containsExactly("alerts.example.test:" + port);
    }

    @Test
    void aDnsAnswerThatChangesAfterTheCheckCannotRedirectThePost() {
        // DNS rebinding: the first answer is public (TEST-NET-1, unreachable here), any later one is loopback;
        // the notifier must connect to the address it vetted and never look the name up again
        AtomicInteger lookups = new AtomicInteger();
        int port = server.getAddress().getPort();
        WebhookNotifier n = WebhookNotifier.builder(URI.create("http://rebind.example.test:" + port + "/ok"))
                .connectTimeout(Duration.ofMillis(300)).resolver(host -> new InetAddress[] {
                    lookups.incrementAndGet() == 1 ? InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1})
                            : InetAddress.getLoopbackAddress()}).build();
        int before = bodies.size();
        assertThatThrownBy(() -> n.send(notification(AlertLevel.HIGH))).isInstanceOf(IOException.class);
        assertThat(lookups.get()).isEqualTo(1);
        assertThat(bodies).hasSize(before);
        // the next send resolves again and gets the loopback answer, which the check refuses
        assertThatThrownBy(() -> n.send(notification(AlertLevel.HIGH))).isInstanceOf(IOException.class)
                .hasMessageContaining("internal address");
        assertThat(bodies).hasSize(before);
    }

    @Test
    void headersTheNotifierSetsItselfOrThatAreNotTokensAreRefused() {
        assertThatThrownBy(() -> webhook("/ok").header("Host", "evil")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> webhook("/ok").header("X Bad", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void httpsPostsToATrustedServerAndRefusesACertificateForAnotherHost(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        javax.net.ssl.SSLContext[] good = TestCertificates.selfSigned(dir, "web.p12", "CN=localhost",
                "ip:127.0.0.1,dns:localhost");
        javax.net.ssl.SSLContext[] other = TestCertificates.selfSigned(dir, "other.p12", "CN=hooks.other.example",
                "dns:hooks.other.example");
        List<String> received = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        com.sun.net.httpserver.HttpsServer wrong = com.sun.net.httpserver.HttpsServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(good[0]));
        wrong.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(other[0]));
        for (com.sun.net.httpserver.HttpsServer srv : List.of(https, wrong)) {
            srv.createContext("/hook", ex -> {
                received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                reply(ex, 204);
            });
            srv.setExecutor(executor);
            srv.start();
        }
        try {
            WebhookNotifier ok = WebhookNotifier.builder(URI.create("https://127.0.0.1:"
                    + https.getAddress().getPort() + "/hook")).allowPrivateTargets(true).sslContext(good[1]).build();
            ok.send(notification(AlertLevel.HIGH));
            assertThat(received).singleElement().satisfies(b -> assertThat(b).contains("cpu-high"));
            // trusted certificate, but it names another host: the handshake fails, nothing is posted
            WebhookNotifier mismatch = WebhookNotifier.builder(URI.create("https://127.0.0.1:"
                    + wrong.getAddress().getPort() + "/hook")).allowPrivateTargets(true).sslContext(other[1]).build();
            assertThatThrownBy(() -> mismatch.send(notification(AlertLevel.HIGH))).isInstanceOf(IOException.class);
            assertThat(received).hasSize(1);
        } finally {
            https.stop(0);
            wrong.stop(0);
        }
    }
}
