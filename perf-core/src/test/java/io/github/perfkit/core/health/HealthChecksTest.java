package io.github.perfkit.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthChecksTest {

    @TempDir
    Path dir;

    @Test
    void diskSpace() throws Exception {
        HealthResult down = HealthChecks.diskSpace(dir, Long.MAX_VALUE, 0.0).check();
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(down.message()).contains("below minimum");
        assertThat(down.details()).containsKeys("total", "free", "freeRatio").containsEntry("path", dir.toString());
        assertThat((long) down.details().get("total")).isPositive();

        HealthResult up = HealthChecks.diskSpace(dir, 1, 0.0).check();
        assertThat(up.status()).isEqualTo(HealthStatus.UP);

        long free = (long) up.details().get("free");
        long total = (long) up.details().get("total");
        double ratio = (double) free / total;
        // Degraded when the free ratio is below the threshold; a threshold just above the current ratio trips it.
        HealthResult degraded = HealthChecks.diskSpace(dir, 1, Math.min(1.0, ratio + 0.05)).check();
        assertThat(degraded.status()).isEqualTo(HealthStatus.DEGRADED);

        assertThatThrownBy(() -> HealthChecks.diskSpace(dir.resolve("missing"), 1, 0.0).check())
                .isInstanceOf(java.io.IOException.class); // the registry reports it DOWN
        assertThatThrownBy(() -> HealthChecks.diskSpace(dir, -1, 0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthChecks.diskSpace(dir, 1, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void heapThresholds() throws Exception {
        HealthResult down = HealthChecks.heap(0.0, 0.0).check();
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(down.details()).containsKeys("used", "max", "ratio", "source");
        assertThat((long) down.details().get("used")).isPositive();

        assertThat(HealthChecks.heap(0.0, 1.0).check().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthChecks.heap(1.0, 1.0).check().status()).isEqualTo(HealthStatus.UP);
        assertThatThrownBy(() -> HealthChecks.heap(0.9, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("downAbove");
    }

    @Test
    @SuppressWarnings("unchecked")
    void deadlockBetweenTwoThreadsIsDown() throws Exception {
        HealthCheck check = HealthChecks.deadlocks();
        assertThat(check.check().status()).isEqualTo(HealthStatus.UP);

        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CyclicBarrier bothHoldOne = new CyclicBarrier(2);
        Thread t1 = new Thread(() -> lockBoth(a, b, bothHoldOne), "perfkit-test-deadlock-1");
        Thread t2 = new Thread(() -> lockBoth(b, a, bothHoldOne), "perfkit-test-deadlock-2");
        t1.setDaemon(true);
        t2.setDaemon(true);
        t1.start();
        t2.start();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HealthResult r = check.check();
                assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
                assertThat(r.message()).contains("perfkit-test-deadlock-1", "perfkit-test-deadlock-2");
                assertThat((List<Object>) r.details().get("threads"))
                        .containsExactlyInAnyOrder("perfkit-test-deadlock-1", "perfkit-test-deadlock-2");
            });
        } finally {
            t1.interrupt();
            t2.interrupt();
            t1.join(5_000);
            t2.join(5_000);
        }
        assertThat(t1.isAlive() || t2.isAlive()).isFalse();
        assertThat(check.check().status()).isEqualTo(HealthStatus.UP);
    }

    private static void lockBoth(ReentrantLock first, ReentrantLock second, CyclicBarrier barrier) {
        try {
            first.lockInterruptibly();
            try {
                barrier.await();
                second.lockInterruptibly();
                second.unlock();
            } finally {
                first.unlock();
            }
        } catch (Exception e) {
            Thread.currentThread().interrupt(); // interrupted at the end of the test: just leave
        }
    }

    @Test
    void executorSaturatedIsDegradedAndShutdownIsDown() throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(10));
        HealthCheck check = HealthChecks.executor("orders", pool);
        CountDownLatch release = new CountDownLatch(1);
        try {
            assertThat(check.check().status()).isEqualTo(HealthStatus.UP);
            pool.execute(() -> awaitQuietly(release));
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.getActiveCount() == 1);
            HealthResult busy = check.check();
            assertThat(busy.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(busy.message()).isEqualTo("executor 'orders' has all 1 threads busy");

            for (int i = 0; i < 8; i++) {
                pool.execute(() -> awaitQuietly(release));
            }
            HealthResult queued = check.check();
            assertThat(queued.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(queued.message()).isEqualTo("executor 'orders' queue 8 of 10 full");
            assertThat(queued.details()).containsEntry("queued", 8).containsEntry("queueCapacity", 10L);
        } finally {
            release.countDown();
            pool.shutdown();
        }
        HealthResult down = check.check();
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(down.message()).startsWith("executor 'orders' is ");
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(check.check().message()).isEqualTo("executor 'orders' is terminated");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void schedulerStaleness() throws Exception {
        assertThat(HealthChecks.scheduler("collect", () -> Duration.ofSeconds(5), Duration.ofSeconds(10)).check().status())
                .isEqualTo(HealthStatus.UP);
        HealthResult stale = HealthChecks.scheduler("collect", () -> Duration.ofSeconds(11), Duration.ofSeconds(10)).check();
        assertThat(stale.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(stale.message()).isEqualTo("job 'collect' last succeeded 11000 ms ago (max 10000 ms)");
        assertThatThrownBy(() -> HealthChecks.scheduler("x", () -> Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
