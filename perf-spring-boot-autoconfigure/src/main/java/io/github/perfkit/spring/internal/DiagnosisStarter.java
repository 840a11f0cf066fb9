package io.github.perfkit.spring.internal;

import io.github.perfkit.core.Perf;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Starts the hub's continuous diagnosis once the application is ready, on a short-lived daemon thread: starting JFR
 * (its first use in a JVM) costs hundreds of milliseconds of CPU, which thus stays off the application's startup
 * path. A failure (JFR unavailable) is logged as a warning, never thrown; an application closed before the start ran
 * (a short-lived command-line run, a test context) skips it quietly; only the closing of the hub's own context counts
 * (a child context's closed event reaches this listener too). Thread-safe: starts at most once.
 */
public final class DiagnosisStarter implements SmartApplicationListener {

    private static final Logger LOG = LoggerFactory.getLogger(DiagnosisStarter.class);

    private final Perf perf;
    private final ApplicationContext context;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closing;

    /**
     * A starter for one hub.
     *
     * @param perf the hub whose diagnosis to start
     * @param context the application context the hub belongs to
     */
    public DiagnosisStarter(Perf perf, ApplicationContext context) {
        this.perf = Objects.requireNonNull(perf, "perf");
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
        return ApplicationReadyEvent.class.isAssignableFrom(eventType)
                || ContextClosedEvent.class.isAssignableFrom(eventType);
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ContextClosedEvent closed) {
            if (closed.getApplicationContext() == context) {
                closing = true;
            }
            return;
        }
        if (!(event instanceof ApplicationReadyEvent) || !started.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            if (closing) {
                return;
            }
            try {
                perf.diagnosis().start();
                LOG.debug("Perfkit: continuous diagnosis started");
            } catch (IllegalStateException | UnsupportedOperationException | SecurityException e) {
                if (closing) {
                    LOG.debug("Perfkit: the application closed before the continuous diagnosis started", e);
                    return;
                }
                LOG.warn("Perfkit: the continuous diagnosis could not start: {}", e.toString());
            } catch (RuntimeException e) {
                LOG.warn("Perfkit: the continuous diagnosis could not start", e);
            }
        }, "perfkit-diagnosis-start");
        t.setDaemon(true);
        t.start();
    }

    /** @return whether the start was requested */
    public boolean started() {
        return started.get();
    }
}
