package io.github.perfkit.spring;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.metrics.CardinalityGuard;
import io.github.perfkit.spring.internal.DiagnosisStarter;
import io.github.perfkit.spring.internal.FindingsSection;
import io.github.perfkit.spring.internal.LazyDiagnosis;
import io.github.perfkit.spring.internal.OwnRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the Perfkit {@link Perf} hub on the application's {@link MeterRegistry} (Actuator's when
 * present; a registry of Perfkit's own otherwise), with the continuous diagnosis on by default (started in the
 * background once the application is ready, so JFR's start is not on the startup path) and its findings as the
 * status section {@code findings}. The hub is
 * closed when the context shuts down. Backs off when the application defines its own {@link Perf} bean;
 * switched off entirely with {@code perfkit.enabled=false}.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration",
        // Spring Boot 4 moved them to spring-boot-micrometer-metrics
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration"})
@ConditionalOnProperty(prefix = "perfkit", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(PerfkitProperties.class)
public class PerfkitAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PerfkitAutoConfiguration.class);

    /** Creates the configuration; called by Spring. */
    public PerfkitAutoConfiguration() {
        // configuration class
    }

    /**
     * The hub, on the application's unique {@link MeterRegistry} when there is one.
     *
     * @param properties Perfkit's properties
     * @param registries the application's meter registries
     * @param context the application context (the diagnosis starts once it is ready)
     * @return the hub, closed at shutdown
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Perf perf(PerfkitProperties properties, ObjectProvider<MeterRegistry> registries,
                     ConfigurableApplicationContext context) {
        MeterRegistry registry = registries.getIfUnique();
        if (registry == null) {
            registry = OwnRegistry.create();
            LOG.debug("Perfkit: no unique MeterRegistry bean, using a {} of its own",
                    registry.getClass().getSimpleName());
        }
        PerfkitProperties.CardinalityGuardProperties guard = properties.getMetrics().getCardinalityGuard();
        if (guard.isEnabled()) {
            // What the hub installs by default (a cap only, perfkit.* exempt, no expiry), with the configured cap.
            registry.config().meterFilter(CardinalityGuard.builder()
                    .maxSeriesPerName(guard.getMaxSeriesPerName()).exempt("perfkit.").build());
        }
        Perf perf = Perf.builder()
                .registry(registry)
                .cardinalityGuard(null)
                .tickInterval(properties.getTickInterval())
                .systemMetrics(properties.isSystemMetrics())
                .jvmMetrics(properties.isJvmMetrics())
                // OSHI's hardware discovery and the JMX look-ups run at the first tick, off the startup thread.
                .deferCollectors(true)
                .diagnosis(properties.getDiagnosis().toConfig())
                .build();
        if (properties.getDiagnosis().isEnabled()) {
            // Started once the application is ready, off the startup path (JFR's first start is costly).
            context.addApplicationListener(new DiagnosisStarter(perf, context));
        }
        if (perf.contributors().stream().noneMatch(c -> c.name().equals(FindingsSection.NAME))) {
            try {
                perf.register(new FindingsSection(new LazyDiagnosis(perf)));
            } catch (IllegalArgumentException e) {
                LOG.debug("Perfkit: findings section not registered", e);
            }
        }
        return perf;
    }
}
