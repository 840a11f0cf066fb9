package io.github.perfkit.spring;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.config.RuleLoader;
import io.github.perfkit.alerts.notify.LogNotifier;
import io.github.perfkit.core.Perf;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Creates an {@link AlertEngine} with Perfkit's default rule set ({@link RuleLoader#defaults()}) and a log
 * notifier, evaluated every {@code perfkit.alerts.interval} on the engine's own daemon thread; its
 * {@code alerts} status section is registered on the hub. Switched off with
 * {@code perfkit.alerts.enabled=false}; backs off when the application defines its own engine.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitAutoConfiguration.class)
@ConditionalOnClass(AlertEngine.class)
@ConditionalOnBean(Perf.class)
@ConditionalOnProperty(prefix = "perfkit.alerts", name = "enabled", havingValue = "true", matchIfMissing = true)
public class PerfkitAlertsAutoConfiguration {

    /** Creates the configuration; called by Spring. */
    public PerfkitAlertsAutoConfiguration() {
        // configuration class
    }

    /**
     * The alert engine, started.
     *
     * @param perf the hub
     * @param properties Perfkit's properties
     * @return the engine, closed at shutdown
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public AlertEngine perfAlertEngine(Perf perf, PerfkitProperties properties) {
        AlertEngine engine = AlertEngine.builder()
                .perf(perf)
                .rules(RuleLoader.defaults())
                .notifier(new LogNotifier())
                .build();
        engine.start(properties.getAlerts().getInterval());
        return engine;
    }
}
