package io.github.perfkit.spring.it;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fresh-JVM startup measurement (not a test): starts {@link SampleApp} and prints JVM start → {@code run()} returned.
 * Run the arms alternately, one JVM each, e.g.
 *
 * <pre>
 * ./mvnw -q -pl perf-spring-boot-autoconfigure test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * CP=perf-spring-boot-autoconfigure/target/test-classes:perf-spring-boot-autoconfigure/target/classes:$(tr ':' '\n' &lt; /tmp/cp.txt \
 *     | grep -v -e spring-boot-actuator-autoconfigure -e tomcat-embed-websocket -e spring-boot-health \
 *         -e spring-boot-data-redis | paste -sd:)
 * for i in $(seq 40); do for a in false true; do
 *   java -cp "$CP" io.github.perfkit.spring.it.StartupLauncher $a sample.app-config=true; done; done
 * </pre>
 *
 * (Actuator's auto-configuration and Tomcat's WebSocket jar, test dependencies of other tests, are left out so the
 * sample app stays a plain Spring MVC one; so are the Boot 4 artifacts the Boot 4 classes compile against.) The first
 * argument is {@code perfkit.enabled}; further arguments are extra properties ({@code key=value}), e.g.
 * {@code sample.app-config=true} for the sample with an application {@code @Configuration} class
 * ({@link SampleApp.AppConfig}), the figure the module's README reports against the target; without it the sample
 * has no CGLIB class of its own, so Perfkit's {@code @Timed} proxy is its first.
 *
 * <p>Prints {@code jvm-to-ready} (JVM start → {@code run()} returned), {@code run} ({@code run()} alone), the start-up
 * thread's CPU time ({@code main-cpu}) and the whole process's ({@code process-cpu}: on two cores every thread's
 * CPU — the preinitializer's, the JIT's, the GC's — is taken from the start-up thread), then the time
 * {@code context.close()} took. {@code -Dperfkit.startup.exit-when-ready=true} exits right after the first line (for a
 * profiler: the recording then ends at ready).
 */
public final class StartupLauncher {

    private StartupLauncher() {}

    /**
     * @param args {@code perfkit.enabled} value, then extra properties
     */
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApp.class)
                .properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
                        "logging.level.root=warn", "perfkit.enabled=" + args[0])
                .properties(Arrays.copyOfRange(args, 1, args.length))
                .logStartupInfo(false)
                .run();
        long ready = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        long run = (System.nanoTime() - t0) / 1_000_000;
        long mainCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
        long processCpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
        System.out.println("RESULT perfkit.enabled=" + args[0] + " jvm-to-ready=" + ready + " run=" + run
                + " main-cpu=" + mainCpu + " process-cpu=" + processCpu);
        if (Boolean.getBoolean("perfkit.startup.exit-when-ready")) {
            System.exit(0); // for profilers: nothing after ready in the recording but the shutdown hooks
        }
        long c0 = System.nanoTime();
        context.close();
        System.out.println("CLOSE perfkit.enabled=" + args[0] + " close=" + (System.nanoTime() - c0) / 1_000_000);
        System.exit(0);
    }
}
