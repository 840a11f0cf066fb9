package io.github.perfkit.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

    @Test
    void logsNothingAnApplicationWouldSee() {
        // Its throwaway hub is on a simple registry: the endpoints built on it must not announce that /metrics
        // answers 404 in every application's start-up log (Spring Boot logs at INFO by default).
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            PerfkitPreinitializer.preinitialize(true);
        } finally {
            root.detachAppender(logs);
        }
        List<String> seen;
        synchronized (logs.list) {
            seen = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                    .filter(e -> e.getThreadName().equals(Thread.currentThread().getName()))
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        }
        assertThat(seen).isEmpty();
    }

    private static Set<Thread> perfkitThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("perfkit")).collect(Collectors.toSet());
    }
}
