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

    private static AlertNotification n(String id, AlertEvent.Kind kind) {
        AlertEvent e = new AlertEvent(id, "r", "s-" + id, Map.of(), AlertLevel.HIGH, AlertState.FIRING, kind, "t",
                "d", 1, List.of(), List.of(), Instant.EPOCH, null, null, Instant.EPOCH, 1, null);
        return new AlertNotification(List.of(e), Instant.EPOCH);
    }

    /** Fails every send that contains one of the given incidents; records what it delivered. */
    private static class Selective implements Notifier {
        final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "selective";
        }

        @Override
        public void send(AlertNotification notification) throws IOException {
            calls.incrementAndGet();
            for (AlertEvent e : notification.events()) {
                if (failing.contains(e.id())) {
                    throw new IOException("receiver refuses " + e.id());
                }
            }
            for (AlertEvent e : notification.events()) {
                delivered.add(e.id() + " " + e.kind());
            }
        }
    }

    @Test
    void aFailingIncidentWaitsForItsRetryWithoutHoldingBackOthersAndIsCappedPerIncident() {
        Selective receiver = new Selective();
        receiver.failing.add("a1");
        try (Dispatcher d = new Dispatcher(receiver, 10, 3, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            d.offer(n("a1", AlertEvent.Kind.FIRING));
            d.offer(n("a2", AlertEvent.Kind.FIRING));
            // a2 goes out while a1 waits for its backoff (at least 500 ms)
            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.delivered.contains("a2 FIRING"));
            assertThat(d.pendingRetries()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(15)).until(() -> d.failed() == 1 && d.pendingRetries() == 0);
            // a1: 3 attempts in all; a2: one send, never repeated
            assertThat(receiver.calls.get()).isEqualTo(4);
            assertThat(d.retries()).isEqualTo(2);
            assertThat(receiver.delivered).containsExactly("a2 FIRING");
        }
    }

    @Test
    void aNewerEventOfAnIncidentReplacesItsPendingRetry() {
        Selective receiver = new Selective();
        receiver.failing.add("a1");
        try (Dispatcher d = new Dispatcher(receiver, 10, 5, Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            d.offer(n("a1", AlertEvent.Kind.FIRING));
            await().atMost(Duration.ofSeconds(5)).until(() -> d.pendingRetries() == 1);
            receiver.failing.clear();
            d.offer(n("a1", AlertEvent.Kind.RESOLVED));
            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.delivered.contains("a1 RESOLVED"));
            await().atMost(Duration.ofSeconds(5)).until(() -> d.pendingRetries() == 0);
            // past the FIRING retry's due time (at most 2 s after the failure), it is still not sent
            await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.delivered.size() == 1);
            assertThat(receiver.delivered).containsExactly("a1 RESOLVED");
            assertThat(d.failed()).isZero();
        }
    }

    @Test
    void eachReceiverKeepsItsOwnRetryState() {
        Selective ok = new Selective();
        Selective flaky = new Selective() {
            @Override
            public void send(AlertNotification notification) throws IOException {
                if (calls.get() < 2) {
                    calls.incrementAndGet();
                    throw new IOException("down for the first two sends");
                }
                super.send(notification);
            }
        };
        try (Dispatcher a = new Dispatcher(ok, 10, 5, Duration.ofMillis(20), Duration.ofMillis(40));
             Dispatcher b = new Dispatcher(flaky, 10, 5, Duration.ofMillis(20), Duration.ofMillis(40))) {
            AlertNotification n = n("a1", AlertEvent.Kind.FIRING);
            a.offer(n);
            b.offer(n);
            await().atMost(Duration.ofSeconds(10)).until(() -> flaky.delivered.contains("a1 FIRING"));
            assertThat(flaky.calls.get()).isEqualTo(3);
            assertThat(b.retries()).isEqualTo(2);
            assertThat(ok.calls.get()).isEqualTo(1); // the receiver that succeeded is not sent it again
            assertThat(ok.delivered).containsExactly("a1 FIRING");
        }
    }
}
