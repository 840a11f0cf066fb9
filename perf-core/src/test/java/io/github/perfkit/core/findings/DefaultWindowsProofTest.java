package io.github.perfkit.core.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.workload.Workloads;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The targets with the <em>shipped</em> settings ({@link DiagnosisConfig#ofDefaults()}: 15 s
 * windows, two learning windows, two persistence windows): an application doing its steady work raises
 * nothing, and when five problems are switched on in it, each is named with its culprit method within
 * two minutes of the onset. Real workloads, a live JFR stream, the wall clock — about two and a half
 * minutes of test time, which is the price of proving the defaults rather than a sped-up copy.
 */
class DefaultWindowsProofTest {

    private static final Duration TARGET = Duration.ofMinutes(2);

    private final List<Thread> threads = new ArrayList<>();
    private final List<AtomicBoolean> switches = new ArrayList<>();
    private ContinuousDiagnosis diagnosis;

    @AfterEach
    void tearDown() throws InterruptedException {
        switches.forEach(s -> s.set(false));
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            t.join(5_000);
        }
        Workloads.stopLeakedThreads();
        Workloads.releaseLeakedMemory();
        if (diagnosis != null) {
            diagnosis.close();
        }
    }

    @Test
    void aSteadyAppStaysCleanAndEachPlantedProblemIsNamedWithinTwoMinutesOfItsOnset() throws InterruptedException {
        DiagnosisConfig config = DiagnosisConfig.ofDefaults();
        assertThat(config.window()).isEqualTo(Duration.ofSeconds(15));
        start("steady-1", Workloads::steadyRequests);
        start("steady-2", Workloads::steadyRequests);
        diagnosis = ContinuousDiagnosis.create(config, Clock.SYSTEM);
        diagnosis.start();

        // Learning (2 windows) plus two judged windows of steady work: nothing to report.
        Thread.sleep(config.window().multipliedBy(config.learningWindows() + 2).toMillis());
        assertThat(diagnosis.all()).as("findings on a clean, steady application").isEmpty();

        long onset = System.nanoTime();
        start("burner", Workloads::burnCpu);
        start("allocator", Workloads::allocate);
        for (int i = 0; i < 3; i++) {
            start("contender-" + i, Workloads::contend);
        }
        start("thread-leaker", Workloads::leakThreads);
        start("memory-leaker", Workloads::leakMemory);

        Map<FindingCategory, String> culprits = new EnumMap<>(FindingCategory.class);
        Map<FindingCategory, Long> secondsToName = new EnumMap<>(FindingCategory.class);
        List<FindingCategory> planted = List.of(FindingCategory.CPU_HOTSPOT, FindingCategory.ALLOCATION_PRESSURE,
                FindingCategory.LOCK_CONTENTION, FindingCategory.THREAD_LEAK, FindingCategory.MEMORY_LEAK);
        try {
            await().atMost(TARGET).pollInterval(Duration.ofMillis(500)).until(() -> {
                for (Finding f : diagnosis.active()) {
                    if (planted.contains(f.category()) && f.culprit().startsWith("com.example.workload.")
                            && !secondsToName.containsKey(f.category())) {
                        culprits.put(f.category(), f.culprit());
                        secondsToName.put(f.category(), (System.nanoTime() - onset) / 1_000_000_000L);
                    }
                }
                return secondsToName.keySet().containsAll(planted);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not every planted problem was named within " + TARGET + "; named so far "
                    + secondsToName + " " + culprits + ", active findings " + diagnosis.active(), e);
        }
        System.out.println("seconds from onset to finding, shipped settings: " + secondsToName);

        assertThat(culprits).containsEntry(FindingCategory.CPU_HOTSPOT, "com.example.workload.Workloads.burnCpu")
                .containsEntry(FindingCategory.ALLOCATION_PRESSURE, "com.example.workload.Workloads.allocate")
                .containsEntry(FindingCategory.LOCK_CONTENTION, "com.example.workload.Workloads.contend")
                .containsEntry(FindingCategory.THREAD_LEAK, "com.example.workload.Workloads.leakThreads")
                .containsEntry(FindingCategory.MEMORY_LEAK, "com.example.workload.Workloads.leakMemory");
        assertThat(diagnosis.active()).as("the steady work is never blamed")
                .noneMatch(f -> f.culprit().equals("com.example.workload.Workloads.steadyRequests"));
    }

    private void start(String name, Consumer<BooleanSupplier> body) {
        AtomicBoolean on = new AtomicBoolean(true);
        switches.add(on);
        Thread t = new Thread(() -> body.accept(on::get), name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }
}
