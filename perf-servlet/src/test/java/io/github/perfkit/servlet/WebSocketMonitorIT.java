package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WebSocket monitoring against embedded Jetty 12 (Jakarta WebSocket) with the JDK's WebSocket client. */
class WebSocketMonitorIT {

    private static final MeterRegistry REGISTRY = new SimpleMeterRegistry();
    private static final WebSocketMonitor MONITOR = new WebSocketMonitor(REGISTRY);
    private static Server server;
    private static int port;

    /** Echoes text through the basic remote and binary through the async remote. */
    public static final class EchoEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(new MessageHandler.Whole<String>() {
                @Override
                public void onMessage(String message) {
                    try {
                        session.getBasicRemote().sendText("echo:" + message);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            session.addMessageHandler(ByteBuffer.class,
                    (MessageHandler.Whole<ByteBuffer>) data -> session.getAsyncRemote().sendBinary(data));
        }
    }

    /** Closes the session on the first message, then tries to answer: the send fails. */
    public static final class FailingEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) message -> {
                try {
                    session.close();
                    session.getBasicRemote().sendText("too late");
                } catch (IOException | RuntimeException e) {
                    // Expected: the session is closed.
                }
            });
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/");
        JakartaWebSocketServletContainerInitializer.configure(ctx, (servletContext, container) -> {
            container.addEndpoint(ServerEndpointConfig.Builder
                    .create(WebSocketMonitor.MonitoredEndpoint.class, "/echo")
                    .configurator(MONITOR.configurator("echo", EchoEndpoint::new)).build());
            container.addEndpoint(ServerEndpointConfig.Builder
                    .create(WebSocketMonitor.MonitoredEndpoint.class, "/fail")
                    .configurator(MONITOR.configurator("fail", FailingEndpoint::new)).build());
        });
        server.setHandler(ctx);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    private static double counter(String name, String direction) {
        var search = REGISTRY.find(name).tag("channel", "echo");
        if (direction != null) {
            search = search.tag("direction", direction);
        }
        var c = search.counter();
        return c == null ? 0 : c.count();
    }

    private static double gauge(String name) {
        var g = REGISTRY.find(name).tag("channel", "echo").gauge();
        return g == null ? 0 : g.value();
    }

    @Test
    void countsConnectionsMessagesBytesAndDurations() throws Exception {
        Client a = new Client();
        Client b = new Client();
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge(MetricNames.WEBSOCKET_CONNECTIONS_ACTIVE) == 2);
        assertThat(gauge(MetricNames.WEBSOCKET_CONNECTIONS_PEAK)).isEqualTo(2);
        assertThat(counter(MetricNames.WEBSOCKET_CONNECTIONS, null)).isEqualTo(2);

        a.ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(a.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:hello");
        a.ws.sendText("héllo", true).get(5, TimeUnit.SECONDS);
        assertThat(a.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:héllo");
        b.ws.sendBinary(ByteBuffer.wrap(new byte[100]), true).get(5, TimeUnit.SECONDS);
        assertThat(b.binaryBytes.poll(5, TimeUnit.SECONDS)).isEqualTo(100);

        await().atMost(Duration.ofSeconds(5)).until(() -> counter(MetricNames.WEBSOCKET_MESSAGES, "out") == 3);
        assertThat(counter(MetricNames.WEBSOCKET_MESSAGES, "in")).isEqualTo(3);
        long textIn = "hello".length() + "héllo".getBytes(StandardCharsets.UTF_8).length;
        assertThat(counter(MetricNames.WEBSOCKET_BYTES, "in")).isEqualTo(textIn + 100);
        long textOut = "echo:hello".length() + "echo:héllo".getBytes(StandardCharsets.UTF_8).length;
        assertThat(counter(MetricNames.WEBSOCKET_BYTES, "out")).isEqualTo(textOut + 100);

        a.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge(MetricNames.WEBSOCKET_CONNECTIONS_ACTIVE) == 1);
        var duration = REGISTRY.find(MetricNames.WEBSOCKET_SESSION_DURATION).tag("channel", "echo").timer();
        assertThat(duration.count()).isEqualTo(1);
        assertThat(duration.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(gauge(MetricNames.WEBSOCKET_CONNECTIONS_PEAK)).isEqualTo(2);
        assertThat(MONITOR.openSessions("echo")).isEqualTo(1);
        b.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge(MetricNames.WEBSOCKET_CONNECTIONS_ACTIVE) == 0);
        assertThat(counter(MetricNames.WEBSOCKET_SEND_ERRORS, null)).isZero();
    }

    @Test
    void failedSendsAreCountedAndNeverBreakTheEndpoint() throws Exception {
        Client c = new Client("/fail");
        c.ws.sendText("hi", true).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> failCounter(MetricNames.WEBSOCKET_SEND_ERRORS) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> MONITOR.openSessions("fail") == 0);
        assertThat(failCounter(MetricNames.WEBSOCKET_CONNECTIONS)).isEqualTo(1);
        assertThat(REGISTRY.find(MetricNames.WEBSOCKET_MESSAGES).tag("channel", "fail").tag("direction", "in")
                .counter().count()).isEqualTo(1);
        assertThat(REGISTRY.find(MetricNames.WEBSOCKET_MESSAGES).tag("channel", "fail").tag("direction", "out")
                .counter().count()).isZero();
    }

    private static double failCounter(String name) {
        var c = REGISTRY.find(name).tag("channel", "fail").counter();
        return c == null ? 0 : c.count();
    }

    /** A JDK WebSocket client collecting what it receives. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> binaryBytes = new LinkedBlockingQueue<>();
        final WebSocket ws;
        private final StringBuilder text = new StringBuilder();
        private int binary;

        Client() throws Exception {
            this("/echo");
        }

        Client(String path) throws Exception {
            ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + path), this).get(5, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binary += data.remaining();
            if (last) {
                binaryBytes.add(binary);
                binary = 0;
            }
            webSocket.request(1);
            return null;
        }
    }
}
