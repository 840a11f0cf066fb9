package io.github.perfkit.spring;

import io.github.perfkit.core.Perf;
import io.github.perfkit.spring.internal.boot4.Boot4PerfkitHealthIndicator;
import io.github.perfkit.spring.internal.boot4.Boot4SpringHealthBridge;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;

/**
 * Health both ways on Spring Boot 4, whose health API moved to {@code spring-boot-health}
 * ({@code org.springframework.boot.health.*}); the same behaviour and properties as
 * {@link PerfkitHealthAutoConfiguration} on Boot 3. Perfkit → Actuator: Perfkit's checks as the health component
 * {@code perfkit}. Actuator → Perfkit: each of Spring's contributors as a Perfkit readiness check
 * {@code spring.<name>} ({@code perfkit.health.spring.enabled}), re-read every
 * {@code perfkit.health.spring.refresh-interval}. Applies only when Boot 4's {@code HealthIndicator} is on the class
 * path (on Boot 3 this class is never loaded); switched off with {@code perfkit.health.enabled=false}; backs off when
 * the application (or the Boot 3 configuration) defines a bean named {@code perfkitHealthIndicator}.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitAutoConfiguration.class,
        afterName = "io.github.perfkit.spring.PerfkitHealthAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(Perf.class)
@ConditionalOnProperty(prefix = "perfkit.health", name = "enabled", havingValue = "true", matchIfMissing = true)
public class PerfkitBoot4HealthAutoConfiguration {

    /** Creates the configuration; called by Spring. */
    public PerfkitBoot4HealthAutoConfiguration() {
        // configuration class
    }

    /**
     * The Boot 4 Actuator health indicator over Perfkit's health registry (component {@code perfkit}).
     *
     * @param perf the hub
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "perfkitHealthIndicator")
    public Boot4PerfkitHealthIndicator perfkitHealthIndicator(Perf perf) {
        return new Boot4PerfkitHealthIndicator(perf);
    }

    /**
     * Spring → Perfkit: Boot 4's health contributors as Perfkit readiness checks {@code spring.<name>}
     * ({@code perfkit.health.spring.enabled}, default true).
     *
     * @param perf the hub
     * @param registry Boot 4's health contributor registry, when Actuator's health support is on
     * @param properties Perfkit's properties
     * @return the bridge (registers the checks once all singletons exist, then re-reads Spring's registry every
     *     {@code perfkit.health.spring.refresh-interval})
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "perfkit.health.spring", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    public Boot4SpringHealthBridge perfkitBoot4SpringHealthBridge(Perf perf,
                                                                  ObjectProvider<HealthContributorRegistry> registry,
                                                                  PerfkitProperties properties) {
        PerfkitProperties.SpringHealth spring = properties.getHealth().getSpring();
        return new Boot4SpringHealthBridge(perf, registry, spring.getTimeout(), spring.getRefreshInterval());
    }
}
