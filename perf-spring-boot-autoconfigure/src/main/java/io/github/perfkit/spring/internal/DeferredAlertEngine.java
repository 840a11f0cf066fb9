package io.github.perfkit.spring.internal;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.Silence;
import io.github.perfkit.core.spi.StatusContributor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * The alert engine of an application that configured nothing of it (the default rules, the log notifier): built and
 * started on a daemon thread once the application is ready, or on the first call of any of its methods if that comes
 * first. A context started without {@code SpringApplication} (no ready event) gets it {@link #UNREADY_DELAY} after its
 * refresh. Building it loads the rule classes and their detectors, which would otherwise lengthen the application's
 * start-up; nothing is evaluated before the first interval anyway. An engine with configured rules or notifiers is
 * built at start-up instead, so a wrong value still fails it.
 *
 * <p>Thread-safe.
 */
public final class DeferredAlertEngine implements AlertEngine, ApplicationListener<ApplicationEvent> {

    /** How long after the context's refresh the engine is built when no ready event came. */
    public static final Duration UNREADY_DELAY = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(DeferredAlertEngine.class);

    private final Supplier<AlertEngine> factory;
    private final Object lock = new Object();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicBoolean starter = new AtomicBoolean();
    private volatile @Nullable AlertEngine engine;
    private boolean closed; // lock

    /**
     * @param factory builds and starts the engine (called at most once)
     */
    public DeferredAlertEngine(Supplier<AlertEngine> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationReadyEvent) {
            ready.countDown();
        } else if (event instanceof ContextRefreshedEvent && engine == null && starter.compareAndSet(false, true)) {
            Thread t = new Thread(this::buildWhenReady, "perfkit-alerts-start");
            t.setDaemon(true);
            t.start();
        }
    }

    private void buildWhenReady() {
        try {
            ready.await(UNREADY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            engine();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException closedMeanwhile) {
            LOG.debug("Perfkit: alert engine not started: {}", closedMeanwhile.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Perfkit: the alert engine could not start", e);
        }
    }

    /** @return whether the engine has been built */
    public boolean built() {
        return engine != null;
    }

    private AlertEngine engine() {
        AlertEngine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (lock) {
            e = engine;
            if (e == null) {
                if (closed) {
                    throw new IllegalStateException("the alert engine is closed");
                }
                e = factory.get();
                engine = e;
            }
            return e;
        }
    }

    @Override
    public void evaluate() {
        engine().evaluate();
    }

    @Override
    public void start(Duration interval) {
        engine().start(interval);
    }

    @Override
    public List<AlertRule> rules() {
        return engine().rules();
    }

    @Override
    public List<AlertEvent> activeAlerts() {
        return engine().activeAlerts();
    }

    @Override
    public List<AlertEvent> history() {
        return engine().history();
    }

    @Override
    public List<AlertEvent> sharedHistory(int max) {
        return engine().sharedHistory(max);
    }

    @Override
    public String silence(Silence silence) {
        return engine().silence(silence);
    }

    @Override
    public boolean expireSilence(String id) {
        return engine().expireSilence(id);
    }

    @Override
    public List<Silence> silences() {
        return engine().silences();
    }

    @Override
    public boolean acknowledge(String alertId, String by) {
        return engine().acknowledge(alertId, by);
    }

    @Override
    public Stats stats() {
        return engine().stats();
    }

    @Override
    public StatusContributor statusContributor() {
        return engine().statusContributor();
    }

    @Override
    public void close() {
        AlertEngine e;
        synchronized (lock) {
            closed = true;
            e = engine;
        }
        ready.countDown(); // a starter still waiting ends now
        if (e != null) {
            e.close();
        }
    }

    @Override
    public String toString() {
        AlertEngine e = engine;
        return e != null ? e.toString() : "DeferredAlertEngine[not built yet]";
    }
}
