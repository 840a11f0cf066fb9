package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.perfkit.core.Perf;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A hub on a registry that cannot be scraped: {@code /metrics} answers 404 with an explanation, and the endpoints say
 * so in the log once, when {@code /metrics} is first asked for — not when they are built (a hub built only to load
 * classes, or an application that never scrapes, logs nothing).
 */
class MetricsWithoutPrometheusIT {

    @Test
    void answers404AndLogsOnceOnlyWhenAsked() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(PerfEndpointsServlet.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO); // the tests' root logger is at WARN
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        Perf perf = Perf.builder().registry(new SimpleMeterRegistry()).autoTick(false).systemMetrics(false)
                .jvmMetrics(false).build();
        try (TestServer server = new TestServer(perf, PerfFilterConfig.ofDefaults(),
                PerfEndpointsConfig.ofDefaults())) {
            assertThat(messages(logs)).noneMatch(m -> m.contains("/metrics"));

            HttpResponse<String> first = server.get("/perf/metrics");
            HttpResponse<String> second = server.get("/perf/metrics");

            assertThat(first.statusCode()).isEqualTo(404);
            assertThat(first.body()).contains("no Prometheus registry");
            assertThat(second.statusCode()).isEqualTo(404);
            assertThat(messages(logs)).filteredOn(m -> m.contains("/metrics answers 404"))
                    .singleElement().asString().contains("SimpleMeterRegistry");
            assertThat(server.get("/perf/ping").statusCode()).isEqualTo(200);
        } finally {
            logger.detachAppender(logs);
            logger.setLevel(level);
        }
    }

    private static List<String> messages(ListAppender<ILoggingEvent> logs) {
        synchronized (logs.list) {
            return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
