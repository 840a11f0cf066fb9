package io.github.perfkit.spring;

import io.github.perfkit.core.Perf;
import io.github.perfkit.spring.internal.PerfkitHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Exposes Perfkit's health checks (deadlocks, tick, heap, disk, data sources...) to Actuator as one
 * {@code perfkit} health component, each Perfkit check a detail. Perfkit's {@code DEGRADED} becomes
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
}
