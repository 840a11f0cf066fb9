package io.github.perfkit.alerts.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.Notifier;
import io.github.perfkit.alerts.Sim;
import io.github.perfkit.alerts.ThresholdRule;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two engines ("nodes") sharing a real redis-server (Debian package redis-server, on PATH). */
class RedisAlertStoreIT {

    private static Process redis;
    private static Thread hook;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--enable-debug-command", "local").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        hook = new Thread(redis::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(hook);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        redis.destroy();
        if (!redis.waitFor(10, TimeUnit.SECONDS)) {
            redis.destroyForcibly();
        }
        Runtime.getRuntime().removeShutdownHook(hook);
    }

    private static final class Collect implements Notifier {
        final List<AlertEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "collect";
        }

        @Override
        public void send(AlertNotification n) {
            events.addAll(n.events());
        }
    }

    @Test
    void twoNodesSendEachNotificationOnceAndShareHistory() {
        String uri = "redis://127.0.0.1:" + port;
        Collect a = new Collect();
        Collect b = new Collect();
        Sim simA = new Sim();
        Sim simB = new Sim();
        try (RedisAlertStore storeA = RedisAlertStore.create(uri, "t1:", 100, Duration.ofSeconds(2));
             RedisAlertStore storeB = RedisAlertStore.create(uri, "t1:", 100, Duration.ofSeconds(2));
             AlertEngine nodeA = engine(simA, storeA, a);
             AlertEngine nodeB = engine(simB, storeB, b)) {
            for (int i = 0; i < 3; i++) {
                for (Sim sim : List.of(simA, simB)) {
                    sim.advance();
                    sim.record("errors", 12);
                }
                nodeA.evaluate();
                nodeB.evaluate();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> a.events.size() + b.events.size() >= 1);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                    .until(() -> a.events.size() + b.events.size() == 1);
            // the claims are asynchronous: either node may win, exactly one sends
            List<AlertEvent> sent = a.events.isEmpty() ? b.events : a.events;
            assertThat(sent).extracting(AlertEvent::kind).containsExactly(AlertEvent.Kind.FIRING);
            assertThat(nodeA.stats().notificationsSuppressed() + nodeB.stats().notificationsSuppressed())
                    .isEqualTo(1);
            // both nodes' FIRING transitions are in the shared history, newest first
            await().atMost(Duration.ofSeconds(5)).until(() -> nodeB.sharedHistory(10).size() == 2);
            assertThat(nodeA.sharedHistory(10)).extracting(AlertEvent::rule).containsExactly("errors", "errors");
            assertThat(nodeA.sharedHistory(10).get(0).description()).contains("errors over 60s is 12");
            assertThat(storeA.failures()).isZero();
        }
    }

    @Test
    void anAbsentRedisFailsOpenWithinTheTimeout() throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Collect c = new Collect();
        Sim sim = new Sim();
        try (RedisAlertStore store = RedisAlertStore.create("redis://127.0.0.1:" + dead, "t2:", 10,
                Duration.ofMillis(200));
             AlertEngine node = engine(sim, store, c)) {
            sim.advance();
            sim.record("errors", 12);
            node.evaluate();
            await().atMost(Duration.ofSeconds(10)).until(() -> c.events.size() == 1);
            assertThat(store.failures()).isPositive();
            assertThat(node.sharedHistory(10)).hasSize(1); // falls back to the local history
        }
    }

    @Test
    void aSleepingRedisDelaysNeitherTheTickNorTheNotifications() throws Exception {
        Collect c = new Collect();
        Sim sim = new Sim();
        try (RedisAlertStore store = RedisAlertStore.create("redis://127.0.0.1:" + port, "t3:", 10,
                Duration.ofMillis(300));
             AlertEngine node = AlertEngine.builder().history(sim.history).clock(sim.clock).store(store).notifier(c)
                     .rules(ThresholdRule.builder("errors").metric("errors").threshold(10).build(),
                             ThresholdRule.builder("latency").metric("latency").threshold(1).build()).build()) {
            // a first claim through a healthy Redis: the connection is up
            sim.advance();
            sim.record("errors", 12);
            node.evaluate();
            await().atMost(Duration.ofSeconds(10)).until(() -> c.events.size() == 1);
            assertThat(store.failures()).isZero();

            // pause the server for 4 s from another connection
            long[] sleepEnded = new long[1];
            Thread pauser;
            try (Socket raw = new Socket("127.0.0.1", port)) {
                raw.setSoTimeout(20_000);
                raw.getOutputStream().write("DEBUG SLEEP 4\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                raw.getOutputStream().flush();
                pauser = new Thread(() -> {
                    try {
                        int ch = raw.getInputStream().read(); // '+' of +OK once the sleep is over
                        sleepEnded[0] = ch < 0 ? -1 : System.nanoTime();
                    } catch (IOException e) {
                        sleepEnded[0] = -1;
                    }
                });
                pauser.start();
                TimeUnit.MILLISECONDS.sleep(200); // the command reaches the server

                long[] tickNanos = new long[2];
                long t0 = System.nanoTime();
                sim.advance();
                sim.record("errors", 12);
                sim.record("latency", 3);
                node.evaluate(); // latency fires
                tickNanos[0] = System.nanoTime() - t0;
                sim.advance();
                sim.record("errors", 1); // errors resolves
                sim.record("latency", 3);
                long t1 = System.nanoTime();
                node.evaluate();
                tickNanos[1] = System.nanoTime() - t1;

                await().atMost(Duration.ofSeconds(10)).until(() -> c.events.size() == 3);
                long delivered = System.nanoTime();
                pauser.join(20_000);
                assertThat(sleepEnded[0]).isPositive();
                // both notifications went out (fail open after the 300 ms claim timeout) before Redis woke up
                assertThat(delivered).isLessThan(sleepEnded[0]);
                assertThat(c.events).extracting(e -> e.rule() + " " + e.kind())
                        .containsExactlyInAnyOrder("errors FIRING", "latency FIRING", "errors RESOLVED");
                // the ticks did not wait for the claims (they would take the 300 ms timeout or the 4 s sleep)
                assertThat(tickNanos[0]).isLessThan(TimeUnit.MILLISECONDS.toNanos(250));
                assertThat(tickNanos[1]).isLessThan(TimeUnit.MILLISECONDS.toNanos(250));
            }
        }
    }

    private static AlertEngine engine(Sim sim, RedisAlertStore store, Notifier n) {
        return AlertEngine.builder().history(sim.history).clock(sim.clock).store(store).notifier(n)
                .rules(ThresholdRule.builder("errors").metric("errors").threshold(10).build()).build();
    }

}
