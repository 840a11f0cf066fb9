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

        // Each planted problem and the method that must be named for it (the allocating loop burns CPU too, so
        // it may also be named a CPU hotspot; what counts is that every problem is named with its own culprit).
        Map<FindingCategory, String> expected = new EnumMap<>(Map.of(
                FindingCategory.CPU_HOTSPOT, "com.example.workload.Workloads.burnCpu",
                FindingCategory.ALLOCATION_PRESSURE, "com.example.workload.Workloads.allocate",
                FindingCategory.LOCK_CONTENTION, "com.example.workload.Workloads.contend",
                FindingCategory.THREAD_LEAK, "com.example.workload.Workloads.leakThreads",
                FindingCategory.MEMORY_LEAK, "com.example.workload.Workloads.leakMemory"));
        Map<FindingCategory, Long> secondsToName = new EnumMap<>(FindingCategory.class);
        try {
            await().atMost(TARGET).pollInterval(Duration.ofMillis(500)).until(() -> {
                for (Finding f : diagnosis.active()) {
                    if (f.culprit().equals(expected.get(f.category())) && !secondsToName.containsKey(f.category())) {
                        secondsToName.put(f.category(), (System.nanoTime() - onset) / 1_000_000_000L);
                    }
                }
                return secondsToName.keySet().containsAll(expected.keySet());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not every planted problem was named with its culprit within " + TARGET
                    + "; named so far " + secondsToName + ", active findings " + diagnosis.active(), e);
        }
        System.out.println("seconds from onset to finding, shipped settings: " + secondsToName);
        assertThat(secondsToName.values()).allMatch(sec -> sec <= TARGET.toSeconds());
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
