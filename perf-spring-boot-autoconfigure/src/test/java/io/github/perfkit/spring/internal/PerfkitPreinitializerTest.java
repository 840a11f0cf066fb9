package io.github.perfkit.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The preinitializer builds throwaway objects (registry, hub, filter, endpoints, a CGLIB proxy) only to
 * load their classes: it must close all of them, leaving no Perfkit thread behind, and share nothing with the
 * application. Threads are compared by identity: other tests' contexts in the same JVM run Perfkit threads of the
 * same names.
 */
class PerfkitPreinitializerTest {

    @Test
    void throwawayObjectsAreClosedAndNoPerfkitThreadStaysBehind() {
        Set<Thread> before = perfkitThreads();
        PerfkitPreinitializer.preinitialize(true);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(perfkitThreads()).as("Perfkit threads left by the preinitializer").isSubsetOf(before));
    }

    private static Set<Thread> perfkitThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("perfkit")).collect(Collectors.toSet());
    }
}
