package io.github.perfkit.core.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.core.health.HealthCheck;
import io.github.perfkit.core.health.HealthChecks;
import io.github.perfkit.core.health.HealthStatus;
import io.micrometer.core.instrument.MockClock;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TickSchedulerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MockClock clock = new MockClock();
    private final TickScheduler scheduler = new TickScheduler("perfkit-tick", clock);

    @AfterEach
    void tearDown() {
        scheduler.close();
    }

    @Test
    void slowJobNeverOverlapsAndSkipsMissedRuns() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        TickScheduler.Job job = scheduler.schedule("slow", Duration.ofMillis(1), Duration.ofMillis(20), () -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(60); // three periods
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        });
        await().atMost(WAIT).until(() -> job.runs() >= 6);
        assertThat(maxRunning).hasValue(1);
        // Each run spans three grid points (sleep >= 60 ms), so every finished run skips at least two;
        // runs are counted before their skips, hence runs is read first.
        long runs = job.runs();
        assertThat(job.skipped()).isGreaterThanOrEqualTo(2 * (runs - 1));
        assertThat(job.failures()).isZero();
    }

    @Test
    void throwingJobKeepsRunningAndDoesNotStopOthers() {
        AtomicInteger attempts = new AtomicInteger();
        TickScheduler.Job failing = scheduler.schedule("failing", Duration.ofMillis(10), () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("collector broken");
        });
        AtomicInteger other = new AtomicInteger();
        TickScheduler.Job healthy = scheduler.schedule("healthy", Duration.ofMillis(10), other::incrementAndGet);
        await().atMost(WAIT).until(() -> failing.failures() >= 5 && other.get() >= 5);
        assertThat(failing.lastSuccess()).isEmpty();
        assertThat(failing.failures()).isLessThanOrEqualTo(attempts.get());
        assertThat(healthy.failures()).isZero();
        assertThat(healthy.lastSuccess()).isPresent();
    }

    @Test
    void failuresAreLoggedRateLimited() {
        Logger logger = (Logger) LoggerFactory.getLogger(TickScheduler.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            TickScheduler.Job failing = scheduler.schedule("failing", Duration.ofMillis(2), () -> {
                throw new IllegalStateException("collector broken");
            });
            await().atMost(WAIT).until(() -> failing.failures() >= 20);
            assertThat(logged(appender)).isEqualTo(TickScheduler.LOG_FIRST_FAILURES);
            clock.add(Duration.ofMinutes(1));
            long before = failing.failures();
            await().atMost(WAIT).until(() -> failing.failures() >= before + 20);
            assertThat(logged(appender)).isEqualTo(TickScheduler.LOG_FIRST_FAILURES + 1);
        } finally {
            logger.detachAppender(appender);
        }
    }

    private static long logged(ListAppender<ILoggingEvent> appender) {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getFormattedMessage().contains("'failing'")).count();
        }
    }

    @Test
    void cancelStopsAJob() {
        AtomicInteger cancelledRuns = new AtomicInteger();
        AtomicInteger witnessRuns = new AtomicInteger();
        TickScheduler.Job job = scheduler.schedule("cancelled", Duration.ofMillis(5), cancelledRuns::incrementAndGet);
        scheduler.schedule("witness", Duration.ofMillis(5), witnessRuns::incrementAndGet);
        await().atMost(WAIT).until(() -> cancelledRuns.get() >= 2);
        job.cancel();
        // A run that had already started may still finish; one witness run later the single tick thread
        // is past it, and from then on the count must not move.
        int witnessAtCancel = witnessRuns.get();
        await().atMost(WAIT).until(() -> witnessRuns.get() > witnessAtCancel);
        int afterCancel = cancelledRuns.get();
        await().atMost(WAIT).until(() -> witnessRuns.get() >= witnessAtCancel + 10);
        assertThat(cancelledRuns).hasValue(afterCancel);
        assertThat(job.isCancelled()).isTrue();
        assertThat(scheduler.lastSuccess("cancelled")).isEmpty();
        // The name is free again.
        scheduler.schedule("cancelled", Duration.ofMillis(5), cancelledRuns::incrementAndGet);
        await().atMost(WAIT).until(() -> cancelledRuns.get() > afterCancel);
    }

    @Test
    void lastSuccessFeedsTheSchedulerHealthCheck() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        TickScheduler.Job job = scheduler.schedule("collect", Duration.ZERO, Duration.ofHours(1), runs::incrementAndGet);
        await().atMost(WAIT).until(() -> runs.get() == 1 && scheduler.lastSuccess("collect").isPresent());
        HealthCheck check = HealthChecks.scheduler("collect", job::timeSinceLastSuccess, Duration.ofSeconds(10));
        assertThat(check.check().status()).isEqualTo(HealthStatus.UP);
        clock.add(Duration.ofSeconds(11));
        assertThat(scheduler.timeSinceLastSuccess("collect")).isEqualTo(Duration.ofSeconds(11));
        assertThat(check.check().status()).isEqualTo(HealthStatus.DOWN);
        assertThatThrownBy(() -> scheduler.timeSinceLastSuccess("unknown")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesAndPeriodsAreValidated() {
        scheduler.schedule("a", Duration.ofHours(1), () -> { });
        assertThatThrownBy(() -> scheduler.schedule("a", Duration.ofHours(1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already scheduled");
        assertThatThrownBy(() -> scheduler.schedule("b", Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period");
        assertThatThrownBy(() -> scheduler.schedule(" ", Duration.ofSeconds(1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jobName");
    }

    @Test
    void closeStopsTheThreadAndRejectsNewJobs() {
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule("tick", Duration.ofMillis(5), runs::incrementAndGet);
        await().atMost(WAIT).until(() -> runs.get() >= 2);
        assertThat(tickThreadAlive()).isTrue();
        scheduler.close();
        await().atMost(WAIT).until(() -> !tickThreadAlive());
        assertThatThrownBy(() -> scheduler.schedule("late", Duration.ofSeconds(1), () -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        scheduler.close(); // idempotent
    }

    private static boolean tickThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("perfkit-tick"));
    }
}
