package io.github.perfkit.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.core.Perf;
import io.github.perfkit.servlet.MetricNames;
import io.github.perfkit.servlet.WebSocketMonitor;
import io.github.perfkit.testapps.chat.ChatApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The starter's {@link WebSocketMonitor} bean over a real WebSocket on embedded Tomcat (runs in the surefire execution
 * {@code extras}, which has Tomcat's WebSocket container): sessions and messages of the endpoint configured through
 * it are counted on the hub's registry.
 */
@SpringBootTest(classes = ChatApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false"})
@DirtiesContext
class WebSocketMonitorHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    WebSocketMonitor monitor;

    @Autowired
    Perf perf;

    @Test
    void anEndpointConfiguredThroughTheStartersMonitorIsMeasured() throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/chat"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            ws.sendText("hi", true).get(10, TimeUnit.SECONDS);
            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("echo hi");
            assertThat(monitor.openSessions("chat")).isEqualTo(1);
            assertThat(perf.registry().find(MetricNames.WEBSOCKET_MESSAGES).tag("channel", "chat").counters())
                    .isNotEmpty();
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(monitor.openSessions("chat")).isZero());
    }
}
