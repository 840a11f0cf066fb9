package io.github.perfkit.spring;

import io.github.perfkit.core.Perf;
import io.github.perfkit.spring.internal.PerfkitHealthIndicator;
import io.github.perfkit.spring.internal.SpringHealthBridge;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Health both ways. Perfkit → Actuator: Perfkit's health checks (deadlocks, tick, heap, disk, data sources...) as
 * one {@code perfkit} health component, each Perfkit check a detail. Actuator → Perfkit: each of Spring's health
 * contributors (db, redis, diskSpace, the application's own indicators...) as a Perfkit readiness check
 * {@code spring.<name>}, so Perfkit's {@code /perf/ready} and dashboard include them
 * ({@code perfkit.health.spring.enabled}); neither direction includes the other's bridged checks, so nothing loops. Perfkit's {@code DEGRADED} becomes
 * Actuator status {@code DEGRADED} (a custom code: add it to {@code management.endpoint.health.status.order}
 * to rank it). Needs {@code spring-boot-actuator}; switched off with {@code perfkit.health.enabled=false};
 * backs off when the application defines a bean named {@code perfkitHealthIndicator}.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(Perf.class)
@ConditionalOnProperty(prefix = "perfkit.health", name = "enabled", havingValue = "true", matchIfMissing = true)
public class PerfkitHealthAutoConfiguration {

    /** Creates the configuration; called by Spring. */
    public PerfkitHealthAutoConfiguration() {
        // configuration class
    }

    /**
     * The Actuator health indicator over Perfkit's health registry.
     *
     * @param perf the hub
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "perfkitHealthIndicator")
    public PerfkitHealthIndicator perfkitHealthIndicator(Perf perf) {
        return new PerfkitHealthIndicator(perf);
    }

    /**
     * Spring → Perfkit: Spring's health contributors as Perfkit readiness checks {@code spring.<name>}
     * ({@code perfkit.health.spring.enabled}, default true).
     *
     * @param perf the hub
     * @param registry Spring's health contributor registry, when the health endpoint is on
     * @param properties Perfkit's properties
     * @return the bridge (registers the checks once all singletons exist, then re-reads Spring's registry every
     *     {@code perfkit.health.spring.refresh-interval} so later contributors are bridged too)
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "perfkit.health.spring", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    public SpringHealthBridge perfkitSpringHealthBridge(Perf perf, ObjectProvider<HealthContributorRegistry> registry,
                                                        PerfkitProperties properties) {
        PerfkitProperties.SpringHealth spring = properties.getHealth().getSpring();
        return new SpringHealthBridge(perf, registry, spring.getTimeout(), spring.getRefreshInterval());
    }
}
