package io.github.perfkit.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadDiagnosticsTest {

    private final ThreadDiagnostics diagnostics = ThreadDiagnostics.ofDefaults();
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        for (Thread t : started) {
            t.interrupt();
        }
        for (Thread t : started) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
        }
    }

    @Test
    void realDeadlockOnReentrantLocksIsFoundAndReportedAsACycle() {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        start("pk-deadlock-1", () -> lockBoth(a, b, bothHoldOne));
        start("pk-deadlock-2", () -> lockBoth(b, a, bothHoldOne));

        await().atMost(Duration.ofSeconds(10)).until(() -> !diagnostics.deadlocks().isEmpty());
        Deadlock deadlock = diagnostics.deadlocks().get(0);
        assertThat(deadlock.threads()).extracting(ThreadSnapshot::name)
                .containsExactlyInAnyOrder("pk-deadlock-1", "pk-deadlock-2");
        assertThat(deadlock.threads()).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(Thread.State.WAITING);
            assertThat(t.lockName()).contains("ReentrantLock");
            assertThat(t.lockedSynchronizers()).singleElement().asString().contains("ReentrantLock");
            assertThat(t.stack()).anyMatch(f -> f.contains("lockBoth"));
        });
        assertThat(deadlock.description()).contains("\"pk-deadlock-1\" waits for").contains("held by \"pk-deadlock-2\"");

        ThreadDump dump = diagnostics.dump();
        assertThat(dump.deadlocks()).hasSize(1);
        assertThat(dump.waitChains()).filteredOn(WaitChain::cyclic).singleElement()
                .satisfies(c -> assertThat(c.threads()).extracting(ThreadSnapshot::name)
                        .containsExactlyInAnyOrder("pk-deadlock-1", "pk-deadlock-2"));
    }

    @Test
    void noDeadlockWhenThreadsOnlyWait() {
        CountDownLatch never = new CountDownLatch(1);
        start("pk-idle-1", () -> awaitQuietly(never));
        await().atMost(Duration.ofSeconds(10)).until(() -> state("pk-idle-1") == Thread.State.WAITING);
        assertThat(diagnostics.deadlocks()).isEmpty();
        assertThat(diagnostics.dump().deadlocks()).isEmpty();
    }

    @Test
    void monitorBlockingChainNamesTheHolder() {
        Object monitor = new Object();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start("pk-holder", () -> {
            synchronized (monitor) {
                holding.countDown();
                awaitQuietly(release);
            }
        });
        awaitQuietly(holding);
        start("pk-blocked", () -> {
            synchronized (monitor) {
                holding.getCount();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> state("pk-blocked") == Thread.State.BLOCKED);

        ThreadDump dump = diagnostics.dump();
        WaitChain chain = dump.waitChains().stream()
                .filter(c -> c.threads().get(0).name().equals("pk-blocked")).findFirst().orElseThrow();
        assertThat(chain.cyclic()).isFalse();
        assertThat(chain.threads()).extracting(ThreadSnapshot::name).containsExactly("pk-blocked", "pk-holder");
        assertThat(chain.locks()).singleElement().asString().startsWith("java.lang.Object@");
        ThreadSnapshot holder = chain.threads().get(1);
        assertThat(holder.lockedMonitors()).anyMatch(m -> m.startsWith(chain.locks().get(0)));
        assertThat(chain.threads().get(0).lockOwnerName()).isEqualTo("pk-holder");
        release.countDown();
    }

    @Test
    void summariesCountByStateAndNamePrefix() {
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 1; i <= 3; i++) {
            start("pk-worker-" + i, () -> awaitQuietly(never));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> state("pk-worker-3") == Thread.State.WAITING
                && state("pk-worker-1") == Thread.State.WAITING && state("pk-worker-2") == Thread.State.WAITING);

        ThreadDump dump = diagnostics.dump(8);
        assertThat(dump.byNamePrefix()).containsEntry("pk-worker-#", 3);
        assertThat(dump.byState().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(dump.threadCount());
        assertThat(dump.byState()).containsKeys(Thread.State.values());
        assertThat(dump.byState().get(Thread.State.WAITING)).isGreaterThanOrEqualTo(3);
        assertThat(dump.byState().get(Thread.State.RUNNABLE)).isGreaterThanOrEqualTo(1); // this thread
        assertThat(dump.threads()).allSatisfy(t -> assertThat(t.stack()).hasSizeLessThanOrEqualTo(8));
        assertThat(dump.threads()).filteredOn(t -> t.name().startsWith("pk-worker-")).hasSize(3)
                .allSatisfy(t -> assertThat(t.lockOwnerId()).isEqualTo(-1));
        assertThat(dump.byNamePrefix()).hasSizeLessThanOrEqualTo(ThreadDiagnostics.MAX_PREFIXES);
    }

    @Test
    void prefixGrowthNamesTheGrowingPool() {
        ThreadDump before = diagnostics.dump(1);
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 1; i <= 4; i++) {
            start("pk-leak-" + i, () -> awaitQuietly(never));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> started.stream().allMatch(Thread::isAlive));
        ThreadDump after = diagnostics.dump(1);
        assertThat(ThreadDiagnostics.prefixGrowth(before, after)).containsEntry("pk-leak-#", 4)
                .allSatisfy((prefix, growth) -> assertThat(growth).isPositive());
        assertThat(ThreadDiagnostics.prefixGrowth(after, after)).isEmpty();
    }

    @Test
    void namePrefixReplacesDigitRuns() {
        assertThat(ThreadDiagnostics.namePrefix("pool-12-thread-3")).isEqualTo("pool-#-thread-#");
        assertThat(ThreadDiagnostics.namePrefix("main")).isEqualTo("main");
        assertThat(ThreadDiagnostics.namePrefix("http-nio-8080-exec-10")).isEqualTo("http-nio-#-exec-#");
    }

    private static void lockBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne) {
        try {
            first.lockInterruptibly();
            try {
                bothHoldOne.countDown();
                bothHoldOne.await();
                second.lockInterruptibly();
                second.unlock();
            } finally {
                first.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Thread.State state(String name) {
        return started.stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow().getState();
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        started.add(t);
        t.start();
    }
}
