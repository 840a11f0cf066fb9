package io.github.perfkit.spring;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.Notifier;
import io.github.perfkit.alerts.detect.FindingsRule;
import io.github.perfkit.core.Perf;
import io.github.perfkit.spring.internal.AlertsSetup;
import io.github.perfkit.spring.internal.DeferredAlertEngine;
import io.github.perfkit.spring.internal.LazyDiagnosis;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;

/**
 * Creates an {@link AlertEngine} evaluated every {@code perfkit.alerts.interval} on the engine's own daemon thread;
 * its {@code alerts} status section is registered on the hub. Rules: Perfkit's default set
 * ({@code perfkit.alerts.default-rules}), overridden by name by a YAML/JSON file ({@code perfkit.alerts.rules-file},
 * any Spring resource location) and by inline threshold rules ({@code perfkit.alerts.rules[n].*}), plus a
 * {@link FindingsRule} (diagnosed findings become alerts) when the continuous diagnosis is on. Notifiers: log
 * (on unless {@code perfkit.alerts.notifiers.log.enabled=false}), webhook ({@code ...webhook.url}), email
 * ({@code ...email.host}). A wrong value fails startup with a message naming the property. Switched off with
 * {@code perfkit.alerts.enabled=false}; backs off when the application defines its own engine.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitAutoConfiguration.class)
@ConditionalOnClass(AlertEngine.class)
@ConditionalOnBean(Perf.class)
@ConditionalOnProperty(prefix = "perfkit.alerts", name = "enabled", havingValue = "true", matchIfMissing = true)
public class PerfkitAlertsAutoConfiguration {

    /** Name of the {@link FindingsRule} (its builder's default). */
    public static final String FINDINGS_RULE = "diagnosis-findings";

    private static final Logger LOG = LoggerFactory.getLogger(PerfkitAlertsAutoConfiguration.class);

    /** Creates the configuration; called by Spring. */
    public PerfkitAlertsAutoConfiguration() {
        // configuration class
    }

    /**
     * The alert engine, started: rules from the default set, {@code perfkit.alerts.rules-file} and
     * {@code perfkit.alerts.rules[*]}; a {@link FindingsRule} when the continuous diagnosis is on; notifiers from
     * {@code perfkit.alerts.notifiers.*}. With none of those configured (nothing that could be wrong) the engine is
     * built once the application is ready (or on its first use, if earlier), off the start-up path.
     *
     * @param perf the hub
     * @param properties Perfkit's properties
     * @param resources resolves the rule file
     * @return the engine, closed at shutdown
     * @throws IllegalArgumentException naming the property of a wrong value
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public AlertEngine perfAlertEngine(Perf perf, PerfkitProperties properties, ResourceLoader resources) {
        PerfkitProperties.Alerts alerts = properties.getAlerts();
        if (nothingToValidate(alerts)) {
            // Default rules and the log notifier: nothing can be wrong, so the engine (its rule classes, detectors
            // and first evaluation) waits until the application is ready instead of lengthening its start-up.
            return new DeferredAlertEngine(() -> engine(perf, properties, resources));
        }
        return engine(perf, properties, resources);
    }

    private static boolean nothingToValidate(PerfkitProperties.Alerts alerts) {
        PerfkitProperties.Notifiers notifiers = alerts.getNotifiers();
        return alerts.getRulesFile() == null && alerts.getRules().isEmpty() && notifiers.getWebhook().getUrl() == null
                && notifiers.getEmail().getHost() == null;
    }

    private static AlertEngine engine(Perf perf, PerfkitProperties properties, ResourceLoader resources) {
        PerfkitProperties.Alerts alerts = properties.getAlerts();
        List<AlertRule> rules = new ArrayList<>(AlertsSetup.rules(alerts, resources));
        if (alerts.isFindings() && properties.getDiagnosis().isEnabled()
                && rules.stream().noneMatch(r -> r.name().equals(FINDINGS_RULE))) {
            rules.add(FindingsRule.builder(new LazyDiagnosis(perf)).build());
        }
        List<Notifier> notifiers = AlertsSetup.notifiers(alerts.getNotifiers());
        AlertEngine.Builder builder = AlertEngine.builder().perf(perf).rules(rules);
        notifiers.forEach(builder::notifier);
        AlertEngine engine = builder.build();
        LOG.debug("Perfkit: alert engine with {} rules and notifiers {}", rules.size(), notifiers);
        engine.start(alerts.getInterval());
        return engine;
    }
}
