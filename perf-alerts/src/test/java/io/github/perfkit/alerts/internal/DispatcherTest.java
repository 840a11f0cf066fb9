package io.github.perfkit.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.AlertState;
import io.github.perfkit.alerts.Notifier;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    private static AlertNotification n(int i) {
        AlertEvent e = new AlertEvent("a" + i, "r", "s", Map.of(), AlertLevel.HIGH, AlertState.FIRING,
                AlertEvent.Kind.FIRING, "t", "d", i, List.of(), List.of(), Instant.EPOCH, null, null, Instant.EPOCH, 1,
                null);
        return new AlertNotification(List.of(e), Instant.EPOCH);
    }

    @Test
    void fullQueueDropsTheOldestAndCounts() throws Exception {
        CountDownLatch inSend = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> delivered = new CopyOnWriteArrayList<>();
        Notifier blocking = new Notifier() {
            @Override
            public String name() {
                return "blocking";
            }

            @Override
            public void send(AlertNotification notification) throws IOException {
                inSend.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
                delivered.add(notification.events().get(0).id());
            }
        };
        try (Dispatcher d = new Dispatcher(blocking, 2, 1, Duration.ofMillis(1), Duration.ofMillis(1))) {
            d.offer(n(0));
            assertThat(inSend.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 4; i++) {
                d.offer(n(i)); // returns at once although the notifier is stuck
            }
            assertThat(d.dropped()).isEqualTo(2);
            assertThat(d.queued()).isEqualTo(2);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> d.sent() == 3);
            assertThat(delivered).containsExactly("a0", "a3", "a4");
        }
    }

    @Test
    void retriesUntilSuccessThenStops() {
        AtomicInteger calls = new AtomicInteger();
        Notifier flaky = new Notifier() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public void send(AlertNotification notification) throws IOException {
                if (calls.incrementAndGet() < 3) {
                    throw new IOException("down");
                }
            }
        };
        try (Dispatcher d = new Dispatcher(flaky, 10, 5, Duration.ofMillis(5), Duration.ofMillis(20))) {
            d.offer(n(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> d.sent() == 1);
            assertThat(calls.get()).isEqualTo(3);
            assertThat(d.retries()).isEqualTo(2);
            assertThat(d.failed()).isZero();
        }
    }
}
