package io.github.perfkit.alerts.notify;

import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.Notifier;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Logs every event through SLF4J (logger {@code io.github.perfkit.alerts.notify.LogNotifier}) with
 * structured key-value pairs ({@code alert.id}, {@code alert.rule}, {@code alert.subject},
 * {@code alert.level}, {@code alert.state}, {@code alert.kind}, {@code alert.value}): WARN for
 * WARNING/HIGH, ERROR for CRITICAL, INFO for INFO and recovery notices.
 *
 * <p>Thread-safe: stateless.
 */
public final class LogNotifier implements Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(LogNotifier.class);

    /** Creates a log notifier. */
    public LogNotifier() {
        // stateless
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void send(AlertNotification notification) {
        for (AlertEvent e : notification.events()) {
            Level level = e.level() == AlertLevel.CRITICAL ? Level.ERROR
                    : e.level() == AlertLevel.INFO ? Level.INFO : Level.WARN;
            LOG.atLevel(level)
                    .addKeyValue("alert.id", e.id())
                    .addKeyValue("alert.rule", e.rule())
                    .addKeyValue("alert.subject", e.subject())
                    .addKeyValue("alert.level", e.level().name().toLowerCase(Locale.ROOT))
                    .addKeyValue("alert.state", e.state().name().toLowerCase(Locale.ROOT))
                    .addKeyValue("alert.kind", e.kind().name().toLowerCase(Locale.ROOT))
                    .addKeyValue("alert.value", e.value())
                    .log("{}: {}", e.title(), e.description());
        }
    }
}
