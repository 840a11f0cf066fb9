package io.github.perfkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.spring.internal.PerfkitHealthIndicator;
import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.health.HealthReport;
import io.github.perfkit.core.health.HealthStatus;
import org.junit.jupiter.api.Test;
import java.util.Map;
import org.springframework.boot.actuate.health.DefaultHealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Perfkit's checks as an Actuator health component. */
class HealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PerfkitAutoConfiguration.class,
                    PerfkitHealthAutoConfiguration.class))
            .withPropertyValues("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false");

    @Test
    void perfkitsChecksAppearInActuatorHealth() {
        runner.run(context -> {
            Perf perf = context.getBean(Perf.class);
            perf.health().register("payments", () -> HealthResult.down("gateway unreachable"));
            Health health = context.getBean("perfkitHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsKeys("payments", "deadlocks");
            assertThat(health.getDetails().get("payments").toString()).contains("gateway unreachable");
            perf.health().unregister("payments");
            perf.health().register("queue", () -> HealthResult.degraded("backlog"));
            assertThat(context.getBean(PerfkitHealthIndicator.class).health().getStatus())
                    .isIn(PerfkitHealthIndicator.DEGRADED, Status.DOWN);
        });
    }

    /** What Actuator's health endpoint configuration provides: a registry of every contributor bean. */
    @Configuration(proxyBeanMethods = false)
    static class ActuatorRegistry {
        @Bean
        HealthContributorRegistry healthContributorRegistry(Map<String, HealthContributor> contributors) {
            return new DefaultHealthContributorRegistry(contributors);
        }
    }

    @Test
    void springsContributorsBecomePerfkitChecksWithoutALoop() {
        runner.withUserConfiguration(ActuatorRegistry.class)
                .withBean("paymentsGateway", HealthIndicator.class, () -> () -> Health.up().withDetail("secret", "x")
                        .build())
                .withBean("queue", HealthIndicator.class,
                        () -> () -> Health.down(new IllegalStateException("broker gone")).build())
                .run(context -> {
                    Perf perf = context.getBean(Perf.class);
                    assertThat(context.getBean(HealthContributorRegistry.class).getContributor("perfkit"))
                            .isInstanceOf(PerfkitHealthIndicator.class);
                    assertThat(perf.health().names()).contains("spring.paymentsGateway", "spring.queue")
                            .noneMatch(n -> n.startsWith("spring.perfkit"));
                    HealthReport report = perf.health().checkAll();
                    assertThat(report.components().get("spring.paymentsGateway").status()).isEqualTo(HealthStatus.UP);
                    assertThat(report.components().get("spring.paymentsGateway").message()).doesNotContain("x");
                    assertThat(report.components().get("spring.queue").status()).isEqualTo(HealthStatus.DOWN);
                    assertThat(report.components().get("spring.queue").message()).contains("broker gone");
                    assertThat(perf.health().check(HealthGroup.LIVENESS).components()).doesNotContainKey("spring.queue");

                    // Perfkit's Actuator component leaves the bridged checks out (Actuator reports them itself).
                    Health perfkit = context.getBean(PerfkitHealthIndicator.class).health();
                    assertThat(perfkit.getDetails()).containsKey("deadlocks")
                            .doesNotContainKeys("spring.queue", "spring.paymentsGateway");
                    assertThat(perfkit.getStatus()).isNotEqualTo(Status.DOWN);
                });
        runner.withUserConfiguration(ActuatorRegistry.class)
                .withBean("queue", HealthIndicator.class, () -> () -> Health.down().build())
                .withPropertyValues("perfkit.health.spring.enabled=false")
                .run(context -> assertThat(context.getBean(Perf.class).health().names())
                        .noneMatch(n -> n.startsWith("spring.")));
    }

    @Test
    void switchedOffOrWithoutActuator() {
        runner.withPropertyValues("perfkit.health.enabled=false").run(context ->
                assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean(PerfkitHealthIndicator.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context ->
                assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean("perfkitHealthIndicator"));
    }
}
