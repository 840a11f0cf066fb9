package io.github.perfkit.spring.internal;

import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.config.RuleLoader;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Parses perf-alerts' default rule set ({@link RuleLoader#defaults()}: YAML, hundreds of milliseconds on a cold JVM)
 * on a short-lived daemon thread as soon as the application's environment is prepared, so it overlaps the rest of
 * the start-up instead of running inside the alert engine's bean creation. Only when Perfkit, its alerts and the
 * default rules are on and perf-alerts is on the class path. The parsed set is taken once ({@link #take()}); a later
 * context (or a failed parse) parses again. Registered in {@code META-INF/spring.factories}; never throws.
 *
 * <p>Thread-safe.
 */
public final class DefaultRulesPreloader implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultRulesPreloader.class);
    private static final String RULE_LOADER = "io.github.perfkit.alerts.config.RuleLoader";
    private static final AtomicReference<CompletableFuture<List<AlertRule>>> PENDING = new AtomicReference<>();

    /** Creates the listener; called by Spring. */
    public DefaultRulesPreloader() {}

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        try {
            Environment env = event.getEnvironment();
            if (!on(env, "perfkit.enabled") || !on(env, "perfkit.alerts.enabled")
                    || !on(env, "perfkit.alerts.default-rules")
                    || !ClassUtils.isPresent(RULE_LOADER, DefaultRulesPreloader.class.getClassLoader())) {
                return;
            }
            CompletableFuture<List<AlertRule>> future = new CompletableFuture<>();
            if (!PENDING.compareAndSet(null, future)) {
                return;
            }
            Thread t = new Thread(() -> {
                try {
                    future.complete(RuleLoader.defaults());
                } catch (RuntimeException | LinkageError e) {
                    future.completeExceptionally(e);
                }
            }, "perfkit-rules-preload");
            t.setDaemon(true);
            t.start();
        } catch (RuntimeException e) {
            LOG.debug("Perfkit: default alert rules not preloaded", e);
        }
    }

    private static boolean on(Environment env, String property) {
        String value = env.getProperty(property);
        return value == null || !value.trim().toLowerCase(Locale.ROOT).equals("false");
    }

    /**
     * The preloaded default rules, once: empty when none was started or it failed (the caller then parses them).
     *
     * @return the default rules, if preloaded
     */
    static Optional<List<AlertRule>> take() {
        CompletableFuture<List<AlertRule>> future = PENDING.getAndSet(null);
        if (future == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(future.get(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Perfkit: preloading the default alert rules failed; parsing them now", e);
            return Optional.empty();
        }
    }
}
