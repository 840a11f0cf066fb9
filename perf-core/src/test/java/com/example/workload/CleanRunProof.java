package com.example.workload;

import io.github.perfkit.core.findings.ContinuousDiagnosis;
import io.github.perfkit.core.findings.DiagnosisConfig;
import io.github.perfkit.core.findings.Finding;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The long half of the noise-discipline proof, too long for the test suite: a steady application under
 * the shipped diagnosis settings for {@code args[0]} minutes (default 30) must raise no finding. Prints
 * every finding it sees and exits with status 1 if there was any.
 *
 * <pre>
 * ./mvnw -q -pl perf-core test-compile
 * java -cp "perf-core/target/test-classes:perf-core/target/classes:$(cat cp.txt)" com.example.workload.CleanRunProof 30
 * </pre>
 */
public final class CleanRunProof {

    private CleanRunProof() {}

    public static void main(String[] args) throws InterruptedException {
        Duration length = Duration.ofMinutes(args.length > 0 ? Long.parseLong(args[0]) : 30);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> Workloads.steadyRequests(running::get), "steady-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        long windows = 0;
        try (ContinuousDiagnosis diagnosis = ContinuousDiagnosis.create(DiagnosisConfig.ofDefaults(), Clock.SYSTEM)) {
            diagnosis.start();
            long end = System.nanoTime() + length.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(60_000);
                windows += 4;
                System.out.printf("%s  findings so far: %d%n", java.time.Instant.now(), diagnosis.all().size());
            }
            running.set(false);
            List<Finding> all = diagnosis.all();
            all.forEach(f -> System.out.println("FINDING " + f));
            System.out.printf("clean run: %d min, ~%d windows, %d findings%n", length.toMinutes(), windows, all.size());
            System.exit(all.isEmpty() ? 0 : 1);
        }
    }
}
