package io.github.perfkit.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The preinitializer builds throwaway objects (registry, hub, filter, endpoints, alert engine, a CGLIB proxy) only to
 * load their classes: it must close all of them, leaving no Perfkit thread behind, and share nothing with the
 * application.
 */
class PerfkitPreinitializerTest {

    @Test
    void throwawayObjectsAreClosedAndNoPerfkitThreadStaysBehind() {
        Set<String> before = perfkitThreads();
        PerfkitPreinitializer.preinitialize(true);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(perfkitThreads()).as("Perfkit threads left by the preinitializer").isSubsetOf(before));
        // nothing of the throwaway alert engine (its notifier threads) survives
        assertThat(perfkitThreads()).noneMatch(name -> name.startsWith("perfkit-alerts"));
    }

    private static Set<String> perfkitThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("perfkit")).collect(Collectors.toSet());
    }
}
