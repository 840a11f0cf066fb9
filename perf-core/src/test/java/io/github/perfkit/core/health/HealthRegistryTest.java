package io.github.perfkit.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final MockClock clock = new MockClock();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<HealthRegistry> registries = new ArrayList<>();

    @AfterEach
    void tearDown() {
        release.countDown();
        registries.forEach(HealthRegistry::close);
    }

    private HealthRegistry registry(HealthConfig config) {
        HealthRegistry r = HealthRegistry.create(config, clock);
        registries.add(r);
        return r;
    }

    private HealthRegistry registry() {
        return registry(HealthConfig.builder().defaultTimeout(TIMEOUT).build());
    }

    /** A check that hangs until {@link #release}, ignoring interrupts (like a blocked socket read). */
    private HealthCheck hanging(AtomicInteger invocations, AtomicInteger interrupts) {
        return () -> {
            invocations.incrementAndGet();
            while (true) {
                try {
                    release.await();
                    return HealthResult.up("released");
                } catch (InterruptedException e) {
                    interrupts.incrementAndGet();
                }
            }
        };
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void aggregationRules() {
        assertThat(HealthStatus.aggregate(List.of())).isEqualTo(HealthStatus.UP);
        assertThat(HealthStatus.aggregate(List.of(HealthStatus.UP, HealthStatus.UP))).isEqualTo(HealthStatus.UP);
        assertThat(HealthStatus.aggregate(List.of(HealthStatus.UP, HealthStatus.DEGRADED))).isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthStatus.aggregate(List.of(HealthStatus.DOWN, HealthStatus.DEGRADED, HealthStatus.UP)))
                .isEqualTo(HealthStatus.DOWN);

        HealthRegistry registry = registry();
        assertThat(registry.checkAll().status()).isEqualTo(HealthStatus.UP);
        assertThat(registry.checkAll().components()).isEmpty();
        registry.register("a", HealthResult::up);
        assertThat(registry.checkAll().status()).isEqualTo(HealthStatus.UP);
        registry.register("b", () -> HealthResult.degraded("slow"));
        assertThat(registry.checkAll().status()).isEqualTo(HealthStatus.DEGRADED);
        registry.register("c", () -> HealthResult.down("broken").withDetail("k", 1));
        HealthReport report = registry.checkAll();
        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.components()).containsOnlyKeys("a", "b", "c");
        assertThat(report.components().get("c").details()).containsEntry("k", 1);
        assertThat(report.timestamp()).isEqualTo(java.time.Instant.ofEpochMilli(clock.wallTime()));
    }

    @Test
    void hungCheckTimesOutWithoutHangingTheCallerAndIsNotStartedTwice() {
        HealthRegistry registry = registry();
        AtomicInteger invocations = new AtomicInteger();
        AtomicInteger interrupts = new AtomicInteger();
        registry.register("hung", hanging(invocations, interrupts), TIMEOUT);
        registry.register("fine", HealthResult::up);

        long start = System.nanoTime();
        HealthReport first = registry.checkAll();
        assertThat(millisSince(start)).isLessThan(TIMEOUT.toMillis() + 1_000);
        assertThat(first.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(first.components().get("hung").message()).isEqualTo("timed out after 500ms");
        assertThat(first.components().get("fine").status()).isEqualTo(HealthStatus.UP);
        await().atMost(Duration.ofSeconds(5)).until(() -> interrupts.get() >= 1); // interrupted once, ignored it

        for (int i = 0; i < 3; i++) {
            clock.add(Duration.ofSeconds(2)); // past the cache TTL: the registry must look at the check again
            start = System.nanoTime();
            HealthResult again = registry.checkAll().components().get("hung");
            assertThat(millisSince(start)).isLessThan(TIMEOUT.toMillis());
            assertThat(again.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(again.message()).startsWith("still running (hung since ");
        }
        assertThat(invocations).hasValue(1);

        release.countDown(); // the check returns; the next look runs it again
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            clock.add(Duration.ofSeconds(2));
            assertThat(registry.checkAll().components().get("hung").message()).isEqualTo("released");
        });
        assertThat(invocations).hasValue(2);
    }

    @Test
    void interruptibleHungCheckIsInterruptedAndFreesItsWorker() {
        HealthRegistry registry = registry(HealthConfig.builder().maxConcurrentChecks(1).build());
        AtomicInteger invocations = new AtomicInteger();
        registry.register("sleeper", () -> {
            invocations.incrementAndGet();
            Thread.sleep(Long.MAX_VALUE);
            return HealthResult.up();
        }, Duration.ofMillis(200));
        assertThat(registry.checkAll().components().get("sleeper").message()).isEqualTo("timed out after 200ms");
        // The only worker was interrupted, so a new run can start on it.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            clock.add(Duration.ofSeconds(2));
            registry.checkAll();
            assertThat(invocations.get()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void throwingCheckIsDownWithExceptionClassAndMessage() {
        HealthRegistry registry = registry();
        registry.register("boom", () -> {
            throw new IllegalStateException("database unreachable");
        });
        HealthResult r = registry.checkAll().components().get("boom");
        assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(r.message()).isEqualTo("java.lang.IllegalStateException: database unreachable");
        assertThat(r.details()).containsEntry("exception", "java.lang.IllegalStateException");
    }

    @Test
    void saturatedExecutorRejects() {
        HealthRegistry registry = registry(HealthConfig.builder().maxConcurrentChecks(1).queueCapacity(1).build());
        AtomicInteger invocations = new AtomicInteger();
        AtomicInteger interrupts = new AtomicInteger();
        for (String name : List.of("h1", "h2", "h3")) {
            registry.register(name, hanging(invocations, interrupts), Duration.ofMillis(300));
        }
        Collection<HealthResult> results = registry.checkAll().components().values();
        assertThat(results).allMatch(r -> r.status() == HealthStatus.DOWN);
        assertThat(results).extracting(HealthResult::message).containsExactlyInAnyOrder(
                "timed out after 300ms",
                "timed out after 300ms waiting for a health worker",
                "rejected: all 1 health workers busy and queue full (1)");
        assertThat(invocations).hasValue(1); // the queued one was removed from the queue, never ran
    }

    @Test
    void checksRunInParallel() {
        HealthRegistry registry = registry(HealthConfig.builder().defaultTimeout(Duration.ofSeconds(5)).build());
        for (String name : List.of("s1", "s2", "s3", "s4")) {
            registry.register(name, () -> {
                Thread.sleep(400);
                return HealthResult.up();
            });
        }
        long start = System.nanoTime();
        HealthReport report = registry.checkAll();
        assertThat(report.status()).isEqualTo(HealthStatus.UP);
        assertThat(millisSince(start)).isLessThan(1_400); // serial would take 1 600 ms
    }

    @Test
    void groupsSelectChecks() {
        HealthRegistry registry = registry();
        registry.register("ready-only", HealthResult::up);
        registry.register("live-only", HealthResult::up, TIMEOUT, HealthGroup.LIVENESS);
        registry.register("both", HealthResult::up, TIMEOUT, HealthGroup.LIVENESS, HealthGroup.READINESS);
        assertThat(registry.check(HealthGroup.LIVENESS).components()).containsOnlyKeys("live-only", "both");
        assertThat(registry.check(HealthGroup.READINESS).components()).containsOnlyKeys("ready-only", "both");
        assertThat(registry.checkAll().components()).containsOnlyKeys("ready-only", "live-only", "both");
        assertThat(registry.unregister("both")).isTrue();
        assertThat(registry.unregister("both")).isFalse();
        assertThat(registry.check(HealthGroup.LIVENESS).components()).containsOnlyKeys("live-only");
    }

    @Test
    void resultsAreCachedForTheTtl() {
        HealthRegistry registry = registry(HealthConfig.builder().cacheTtl(Duration.ofSeconds(1)).build());
        AtomicInteger invocations = new AtomicInteger();
        registry.register("counted", () -> HealthResult.up("run " + invocations.incrementAndGet()));
        for (int i = 0; i < 10; i++) {
            assertThat(registry.checkAll().components().get("counted").message()).isEqualTo("run 1");
        }
        clock.add(Duration.ofMillis(999));
        registry.checkAll();
        assertThat(invocations).hasValue(1);
        clock.add(Duration.ofMillis(1));
        assertThat(registry.checkAll().components().get("counted").message()).isEqualTo("run 2");

        HealthRegistry uncached = registry(HealthConfig.builder().cacheTtl(Duration.ZERO).build());
        AtomicInteger calls = new AtomicInteger();
        uncached.register("counted", () -> HealthResult.up("run " + calls.incrementAndGet()));
        uncached.checkAll();
        uncached.checkAll();
        assertThat(calls).hasValue(2);
    }

    @Test
    void namesAreValidated() {
        HealthRegistry registry = registry(HealthConfig.builder().maxChecks(2).build());
        assertThatThrownBy(() -> registry.register(" ", HealthResult::up))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> registry.register("x".repeat(65), HealthResult::up))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 64");
        assertThatThrownBy(() -> registry.register("db check", HealthResult::up))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[a-zA-Z0-9._-]");
        registry.register("db.primary-1_x", HealthResult::up);
        registry.register("x".repeat(64), HealthResult::up);
        assertThatThrownBy(() -> registry.register("db.primary-1_x", HealthResult::up))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> registry.register("third", HealthResult::up))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxChecks");
        assertThatThrownBy(() -> registry.register("t", HealthResult::up, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void resultsAreBounded() {
        HealthResult r = HealthResult.up();
        for (int i = 0; i < 100; i++) {
            r = r.withDetail("k" + i, i);
        }
        assertThat(r.details()).hasSize(HealthResult.MAX_DETAILS).containsKey("k0").doesNotContainKey("k99");
        assertThat(HealthResult.down("x".repeat(5_000)).message()).hasSize(HealthResult.MAX_MESSAGE_LENGTH);
    }

    @Test
    void closeLeavesNoHealthThreadAlive() {
        HealthRegistry registry = registry(HealthConfig.builder().maxConcurrentChecks(4).build());
        for (int i = 0; i < 4; i++) {
            registry.register("c" + i, () -> {
                Thread.sleep(50);
                return HealthResult.up();
            });
        }
        registry.checkAll();
        assertThat(healthThreads()).isNotEmpty();
        registry.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> healthThreads().isEmpty());
        assertThatThrownBy(() -> registry.register("late", HealthResult::up)).isInstanceOf(IllegalStateException.class);
        assertThat(registry.checkAll().components().get("c0").message()).isEqualTo("health registry closed");
    }

    private static List<Thread> healthThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("perfkit-health"))
                .toList();
    }
}
