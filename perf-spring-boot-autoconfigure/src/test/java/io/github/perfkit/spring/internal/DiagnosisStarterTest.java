package io.github.perfkit.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.perfkit.core.Perf;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The diagnosis is started once the application is ready, on a thread of its own: a start that fails is a warning,
 * unless the application closed first (a short-lived run, a test context), which is expected and logged at debug.
 */
class DiagnosisStarterTest {

    private final GenericApplicationContext context = new GenericApplicationContext();
    private final Logger logger = (Logger) LoggerFactory.getLogger(DiagnosisStarter.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level level;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
        logger.setLevel(level);
    }

    @Test
    void aStartThatFailsWhileTheApplicationRunsIsAWarning() {
        Perf perf = hub();
        perf.close(); // the diagnosis refuses to start, and the application is not closing
        DiagnosisStarter starter = new DiagnosisStarter(perf, context);

        starter.onApplicationEvent(ready());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events())
                .anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("could not start")));
        assertThat(starter.started()).isTrue();
    }

    @Test
    void anApplicationClosedBeforeTheStartIsQuiet() throws Exception {
        Perf perf = hub();
        DiagnosisStarter starter = new DiagnosisStarter(perf, context);
        assertThat(starter.supportsEventType(ApplicationReadyEvent.class)).isTrue();
        assertThat(starter.supportsEventType(ContextClosedEvent.class)).isTrue();

        starter.onApplicationEvent(new ContextClosedEvent(context));
        perf.close();
        starter.onApplicationEvent(ready());
        starter.onApplicationEvent(ready()); // at most one start

        Thread.sleep(300); // the start thread has nothing to wait for
        assertThat(events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(starter.started()).isTrue();
    }

    @Test
    void aChildContextClosingDoesNotStopTheStart() {
        GenericApplicationContext child = new GenericApplicationContext();
        child.setParent(context);
        try (Perf perf = hub()) {
            DiagnosisStarter starter = new DiagnosisStarter(perf, context);
            starter.onApplicationEvent(new ContextClosedEvent(child)); // propagated from a child, as Spring does

            starter.onApplicationEvent(ready());

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events())
                    .anyMatch(e -> e.getFormattedMessage().contains("continuous diagnosis started")));
        }
    }

    @Test
    void aStartThatRunsStartsTheDiagnosis() {
        try (Perf perf = hub()) {
            new DiagnosisStarter(perf, context).onApplicationEvent(ready());

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events())
                    .anyMatch(e -> e.getFormattedMessage().contains("continuous diagnosis started")));
            assertThat(events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        }
    }

    private static Perf hub() {
        return Perf.builder().registry(new SimpleMeterRegistry()).autoTick(false).systemMetrics(false)
                .jvmMetrics(false).diagnosis(true).build();
    }

    private ApplicationReadyEvent ready() {
        return new ApplicationReadyEvent(new SpringApplication(), new String[0], context, Duration.ofSeconds(1));
    }

    private List<ILoggingEvent> events() {
        synchronized (logs.list) {
            return List.copyOf(logs.list);
        }
    }
}
