package io.github.perfkit.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.AlertState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogNotifierTest {

    @Test
    void logsEachEventWithStructuredFields() {
        Logger logger = (Logger) LoggerFactory.getLogger(LogNotifier.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            AlertEvent crit = new AlertEvent("a1", "cpu", "cpu{host=a}", Map.of(), AlertLevel.CRITICAL,
                    AlertState.FIRING, AlertEvent.Kind.FIRING, "[CRITICAL] cpu on cpu{host=a}", "avg 0.95", 0.95,
                    List.of(), List.of(), Instant.EPOCH, Instant.EPOCH, null, Instant.EPOCH, 1, null);
            AlertEvent ok = new AlertEvent("a2", "mem", "mem", Map.of(), AlertLevel.INFO, AlertState.RESOLVED,
                    AlertEvent.Kind.RESOLVED, "[RESOLVED] mem on mem", "last 1", 1, List.of(), List.of(),
                    Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, 1, null);
            new LogNotifier().send(new AlertNotification(List.of(crit, ok), Instant.EPOCH));
            assertThat(appender.list).hasSize(2);
            ILoggingEvent first = appender.list.get(0);
            assertThat(first.getLevel()).isEqualTo(Level.ERROR);
            assertThat(first.getFormattedMessage()).isEqualTo("[CRITICAL] cpu on cpu{host=a}: avg 0.95");
            Map<String, Object> kv = first.getKeyValuePairs().stream()
                    .collect(Collectors.toMap(p -> p.key, p -> p.value));
            assertThat(kv).containsEntry("alert.id", "a1").containsEntry("alert.rule", "cpu")
                    .containsEntry("alert.level", "critical").containsEntry("alert.kind", "firing")
                    .containsEntry("alert.subject", "cpu{host=a}").containsEntry("alert.value", 0.95);
            assertThat(appender.list.get(1).getLevel()).isEqualTo(Level.INFO);
        } finally {
            logger.detachAppender(appender);
        }
    }
}
