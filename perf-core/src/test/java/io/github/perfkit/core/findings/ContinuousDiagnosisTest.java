package io.github.perfkit.core.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.workload.Workloads;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real workloads in this JVM, a live JFR stream, one-second windows: each planted problem must be
 * named with its culprit method, and go away when the problem does.
 */
class ContinuousDiagnosisTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    private final List<Thread> threads = new ArrayList<>();
    private final List<AtomicBoolean> switches = new ArrayList<>();
    private ContinuousDiagnosis diagnosis;
    private final List<Finding> raised = new CopyOnWriteArrayList<>();
    private final List<Finding> resolved = new CopyOnWriteArrayList<>();

    private void startDiagnosis(DiagnosisConfig.Builder config) {
        diagnosis = ContinuousDiagnosis.create(config.window(Duration.ofSeconds(1)).build(), Clock.SYSTEM);
        diagnosis.addListener(new FindingListener() {
            @Override
            public void onFinding(Finding finding) {
                raised.add(finding);
            }

            @Override
            public void onResolved(Finding finding) {
                resolved.add(finding);
            }
        });
        diagnosis.start();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        switches.forEach(s -> s.set(false));
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            t.join(5_000);
        }
        if (diagnosis != null) {
            diagnosis.close();
        }
    }

    @Test
    void aCpuHotspotIsNamedWithItsMethodAndResolvesWhenItStops() {
        startDiagnosis(DiagnosisConfig.builder().learningWindows(1).persistenceWindows(2));
        pastLearning();
        AtomicBoolean on = start("burner", Workloads::burnCpu);

        Finding f = awaitActive(FindingCategory.CPU_HOTSPOT);
        assertThat(f.culprit()).isEqualTo("com.example.workload.Workloads.burnCpu");
        assertThat((double) f.evidence().get("cpuShare")).isGreaterThanOrEqualTo(0.2);
        assertThat((double) f.evidence().get("cores")).isGreaterThanOrEqualTo(0.25);
        assertThat(f.sampleStack()).first().asString().startsWith("com.example.workload.Workloads.burnCpu");
        assertThat(f.recommendation()).contains("Workloads.burnCpu").contains("% of the CPU samples");
        assertThat(raised).extracting(Finding::id).contains(f.id());

        on.set(false);
        await().atMost(WITHIN).until(() -> resolved.stream().anyMatch(r -> r.id().equals(f.id())));
        assertThat(diagnosis.active()).noneMatch(a -> a.id().equals(f.id()));
        assertThat(diagnosis.all()).anyMatch(a -> a.id().equals(f.id()) && !a.active());
    }

    @Test
    void steadyWorkPresentFromTheStartIsTheApplicationsNormalNotAFinding() throws InterruptedException {
        start("steady", Workloads::burnCpu); // the app's normal, most expensive work, running all along
        startDiagnosis(DiagnosisConfig.builder().learningWindows(2).persistenceWindows(2));
        assertThat(diagnosis.learning()).isTrue();
        // learning plus several judged windows
        await().atMost(WITHIN).until(() -> diagnosis.windowsJudged() >= 5);
        assertThat(diagnosis.learning()).isFalse();
        assertThat(diagnosis.active()).isEmpty();
        assertThat(raised).isEmpty();
    }

    @Test
    void allocationPressureIsNamedWithItsMethod() {
        startDiagnosis(DiagnosisConfig.builder().learningWindows(1).allocationMinBytesPerSecond(1e6));
        pastLearning();
        start("allocator", Workloads::allocate);
        Finding f = awaitActive(FindingCategory.ALLOCATION_PRESSURE);
        assertThat(f.culprit()).isEqualTo("com.example.workload.Workloads.allocate");
        assertThat((long) f.evidence().get("bytesPerSecond")).isGreaterThanOrEqualTo(1_000_000L);
    }

    @Test
    void lockContentionNamesTheWaitingMethodAndTheMonitor() {
        startDiagnosis(DiagnosisConfig.builder().learningWindows(1).lockWaitFraction(0.3));
        pastLearning();
        for (int i = 0; i < 3; i++) {
            start("contender-" + i, Workloads::contend);
        }
        Finding f = awaitActive(FindingCategory.LOCK_CONTENTION);
        assertThat(f.culprit()).isEqualTo("com.example.workload.Workloads.contend");
        assertThat(f.subject()).isEqualTo(Workloads.SharedLedger.class.getName());
        assertThat((double) f.evidence().get("waitSeconds")).isGreaterThan(0.3);
    }

    @Test
    void threadsWaitingForASignalAreIdleNotContended() throws InterruptedException {
        startDiagnosis(DiagnosisConfig.builder().learningWindows(1).lockWaitFraction(0.3));
        pastLearning();
        CountDownLatch signal = new CountDownLatch(1);
        try {
            for (int i = 0; i < 3; i++) {
                thread("waiter-" + i, () -> Workloads.awaitSignal(signal));
            }
            Thread.sleep(6_000);
            assertThat(raised).noneMatch(f -> f.category() == FindingCategory.LOCK_CONTENTION);
        } finally {
            signal.countDown();
        }
    }

    @Test
    void aThreadLeakNamesTheCreatingMethodAndTheThreadNames() {
        startDiagnosis(DiagnosisConfig.builder().learningWindows(1).threadLeakWindows(3).threadLeakMinGrowth(10));
        pastLearning();
        AtomicBoolean on = start("leaker", Workloads::leakThreads);
        try {
            Finding f = awaitActive(FindingCategory.THREAD_LEAK);
            assertThat(f.culprit()).isEqualTo("com.example.workload.Workloads.leakThreads");
            assertThat(f.subject()).isEqualTo("leaky-worker-#");
            assertThat((int) f.evidence().get("growth")).isGreaterThanOrEqualTo(10);
            assertThat(f.recommendation()).contains("leaky-worker-#").contains("Workloads.leakThreads");
        } finally {
            on.set(false);
            Workloads.stopLeakedThreads();
        }
    }

    @Test
    void aPoolGrowingToItsWorkingSizeAndHoldingIsNotAThreadLeak() throws InterruptedException {
        startDiagnosis(DiagnosisConfig.builder().learningWindows(1).threadLeakWindows(3).threadLeakMinGrowth(10));
        pastLearning();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(40, 40, 1,
                java.util.concurrent.TimeUnit.MINUTES, new java.util.concurrent.LinkedBlockingQueue<>(),
                r -> new Thread(r, "ramp-pool-" + n.incrementAndGet()));
        try {
            // A load ramp: the pool grows by 20 threads in each of two windows, then holds at its size.
            for (int burst = 0; burst < 2; burst++) {
                for (int i = 0; i < 20; i++) {
                    pool.prestartCoreThread();
                }
                Thread.sleep(1_200);
            }
            Thread.sleep(6_000);
            assertThat(raised).noneMatch(f -> f.category() == FindingCategory.THREAD_LEAK);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMemoryLeakNamesTheGrowingClassAndTheMethodThatAllocatesIt() {
        startDiagnosis(DiagnosisConfig.builder().learningWindows(1).memoryLeakWindows(4)
                .memoryLeakMinGrowth(4L * 1024 * 1024));
        pastLearning();
        AtomicBoolean on = start("leaker", Workloads::leakMemory);
        try {
            Finding f = awaitActive(FindingCategory.MEMORY_LEAK);
            assertThat(f.subject()).isEqualTo(Workloads.LeakedRecord.class.getName());
            assertThat(f.culprit()).isEqualTo("com.example.workload.Workloads.leakMemory");
            assertThat((long) f.evidence().get("slopeBytesPerSecond")).isPositive();
            assertThat((double) f.evidence().get("r2")).isGreaterThanOrEqualTo(0.8);
            assertThat((long) f.evidence().get("suspectInstancesDelta")).isPositive();
            assertThat(f.recommendation()).contains("heap after GC rose").contains("LeakedRecord")
                    .contains("the heap is full in about");
            assertThat((int) f.evidence().get("oldObjectSamples")).isPositive();
            assertThat((String) f.evidence().get("gcRoot")).isNotBlank();
            @SuppressWarnings("unchecked")
            List<String> path = (List<String>) f.evidence().get("pathToRoot");
            assertThat(path).contains("java.util.concurrent.CopyOnWriteArrayList.array")
                    .last().isEqualTo("static com.example.workload.Workloads.RETAINED");
            assertThat(f.recommendation()).contains("held from GC root");
        } finally {
            on.set(false);
            Workloads.releaseLeakedMemory();
        }
    }

    @Test
    void aMemoryLeakIsBlamedOnTheSiteAllocatingTheClassLatelyNotOnAnEarlierHeavierOne() {
        startDiagnosis(DiagnosisConfig.builder().learningWindows(1).memoryLeakWindows(4)
                .memoryLeakMinGrowth(4L * 1024 * 1024));
        // A start-up phase allocates far more of the same class than the leak will, as garbage.
        AtomicBoolean churn = start("startup", Workloads::churnRecords);
        pastLearning();
        churn.set(false);
        AtomicBoolean on = start("leaker", Workloads::leakMemory);
        try {
            Finding f = awaitActive(FindingCategory.MEMORY_LEAK);
            assertThat(f.subject()).isEqualTo(Workloads.LeakedRecord.class.getName());
            assertThat(f.culprit()).isEqualTo("com.example.workload.Workloads.leakMemory");
        } finally {
            on.set(false);
            Workloads.releaseLeakedMemory();
        }
    }

    @Test
    void aDeadlockIsNamedAndResolvesWhenItIsBroken() throws InterruptedException {
        startDiagnosis(DiagnosisConfig.builder().learningWindows(0));
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHoldFirst = new CountDownLatch(2);
        Thread t1 = thread("deadlock-1", () -> Workloads.lockInOrder(a, b, bothHoldFirst));
        Thread t2 = thread("deadlock-2", () -> Workloads.lockInOrder(b, a, bothHoldFirst));

        Finding f = awaitActive(FindingCategory.DEADLOCK);
        assertThat(f.culprit()).isEqualTo("com.example.workload.Workloads.lockInOrder");
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) f.evidence().get("threads");
        assertThat(names).containsExactly("deadlock-1", "deadlock-2");

        t1.interrupt();
        t2.interrupt();
        t1.join(5_000);
        t2.join(5_000);
        await().atMost(WITHIN).until(() -> diagnosis.active().stream().noneMatch(x -> x.id().equals(f.id())));
    }

    @Test
    void reportedFindingsReachListenersAndTheListIsBounded() {
        diagnosis = ContinuousDiagnosis.create(DiagnosisConfig.builder().maxFindings(3).build(), Clock.SYSTEM);
        List<Finding> seen = new CopyOnWriteArrayList<>();
        diagnosis.addListener(new FindingListener() {
            @Override
            public void onFinding(Finding finding) {
                seen.add(finding);
                throw new IllegalStateException("a broken listener must not stop the others");
            }

            @Override
            public void onResolved(Finding finding) {
                seen.add(finding);
            }
        });
        Instant t0 = Instant.now(); // reported findings not seen again for 20 windows resolve: use the present
        for (int i = 0; i < 5; i++) {
            diagnosis.report(nPlusOne("app.Orders.list" + i, t0.plusSeconds(i)));
        }
        diagnosis.report(nPlusOne("app.Orders.list4", t0.plusSeconds(10))); // refresh: no new notification
        assertThat(seen).hasSize(5);
        assertThat(diagnosis.all()).hasSize(3);
        assertThat(diagnosis.active().get(0).culprit()).isEqualTo("app.Orders.list4");
        assertThat(diagnosis.active().get(0).firstSeen()).isEqualTo(t0.plusSeconds(4));
        diagnosis.report(diagnosis.active().get(0).resolved(t0.plusSeconds(20)));
        assertThat(seen).hasSize(6).last().matches(f -> !f.active());
        assertThatThrownBy(() -> DiagnosisConfig.builder().cpuShare(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cpuShare");
    }

    @Test
    void aReportedFindingThatIsNoLongerReportedResolves() {
        io.micrometer.core.instrument.MockClock clock = new io.micrometer.core.instrument.MockClock();
        ContinuousDiagnosis d = ContinuousDiagnosis.create(DiagnosisConfig.builder().window(Duration.ofSeconds(15))
                .build(), clock);
        try {
            List<Finding> resolvedSeen = new CopyOnWriteArrayList<>();
            d.addListener(new FindingListener() {
                @Override
                public void onFinding(Finding finding) {
                    // raised: not what this test watches
                }

                @Override
                public void onResolved(Finding finding) {
                    resolvedSeen.add(finding);
                }
            });
            Instant t0 = Instant.ofEpochMilli(clock.wallTime());
            d.report(nPlusOne("app.Orders.list", t0));
            clock.add(Duration.ofMinutes(4));
            d.report(nPlusOne("app.Orders.list", Instant.ofEpochMilli(clock.wallTime()))); // seen again: holds
            clock.add(Duration.ofMinutes(4));
            assertThat(d.active()).hasSize(1);
            assertThat(resolvedSeen).isEmpty();
            clock.add(Duration.ofMinutes(2)); // 6 minutes since the last report: 20 windows of 15 s have passed
            assertThat(d.active()).isEmpty();
            assertThat(resolvedSeen).singleElement().matches(f -> !f.active() && f.culprit().equals("app.Orders.list"));
            assertThat(d.all()).singleElement().matches(f -> !f.active());
        } finally {
            d.close();
        }
    }

    private static Finding nPlusOne(String culprit, Instant at) {
        return new Finding(Finding.idOf(FindingCategory.N_PLUS_ONE, culprit, "select * from item where order_id = ?"),
                FindingCategory.N_PLUS_ONE, culprit, "select * from item where order_id = ?",
                Map.of("executionsPerRequest", 50), List.of(culprit), at, at, "Batch the per-row queries.", true);
    }

    /**
     * The problem must start after the one learning window (closed at the first JFR flush after 1 s),
     * as a problem switched on in a running app does; present from the start, it is the app's normal.
     */
    /** Waits until the baseline is learned (the diagnosis says so), so a problem started now is not learned. */
    private void pastLearning() {
        await().atMost(WITHIN).until(() -> !diagnosis.learning());
        assertThat(diagnosis.windowsJudged()).isGreaterThanOrEqualTo(1);
    }

    private Finding awaitActive(FindingCategory category) {
        return await().atMost(WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> diagnosis.active().stream().filter(f -> f.category() == category).findFirst().orElse(null),
                        java.util.Objects::nonNull);
    }

    private AtomicBoolean start(String name, java.util.function.Consumer<java.util.function.BooleanSupplier> body) {
        AtomicBoolean on = new AtomicBoolean(true);
        switches.add(on);
        thread(name, () -> body.accept(on::get));
        return on;
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }
}
