package io.github.perfkit.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.core.health.HealthStatus;
import io.github.perfkit.spring.PerfkitAutoConfiguration;
import io.github.perfkit.spring.PerfkitBoot4HealthAutoConfiguration;
import io.github.perfkit.spring.internal.boot4.Boot4PerfkitHealthIndicator;
import io.github.perfkit.spring.internal.boot4.Boot4SpringHealthBridge;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.DefaultHealthContributorRegistry;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Boot 4 health auto-configuration's conditions and back-offs on Boot 4's class path (where Boot 3's
 * {@code PerfkitHealthAutoConfiguration} backs off, its health classes being absent), and both directions of the
 * bridge against Boot 4's own {@link DefaultHealthContributorRegistry}.
 */
class Boot4HealthConditionsTest {

    private static final String BOOT3_HEALTH = "io.github.perfkit.spring.PerfkitHealthAutoConfiguration";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PerfkitAutoConfiguration.class,
                    PerfkitBoot4HealthAutoConfiguration.class))
            .withConfiguration(AutoConfigurations.of(classNamed(BOOT3_HEALTH)))
            .withPropertyValues("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false");

    private static Class<?> classNamed(String name) {
        try {
            return Class.forName(name, false, Boot4HealthConditionsTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name, e);
        }
    }

    /**
     * What Boot 4's health auto-configuration provides: a registry of every contributor bean (under its bean name here;
     * Boot's own drops a {@code HealthIndicator} suffix), Perfkit's own indicator ({@code perfkitHealthIndicator})
     * included.
     */
    @Configuration(proxyBeanMethods = false)
    static class Boot4Registry {
        @Bean
        HealthContributorRegistry healthContributorRegistry(Map<String, HealthContributor> contributors) {
            return new DefaultHealthContributorRegistry(List.of(), register -> contributors.forEach(register));
        }

        @Bean
        HealthIndicator db() {
            return () -> Health.down().withDetail("error", "connection refused").withDetail("url", "secret").build();
        }

        @Bean
        HealthContributor brokers() {
            return CompositeHealthContributor.fromMap(Map.of(
                    "a", (HealthIndicator) () -> Health.up().build(),
                    "b", (HealthIndicator) () -> Health.outOfService().build()));
        }

        @Bean
        HealthIndicator cache() {
            return () -> Health.up().build();
        }
    }

    @Test
    void onBoot4OnlyTheBoot4ConfigurationAppliesAndReportsPerfkitsChecks() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Boot4SpringHealthBridge.class)
                    .doesNotHaveBean("perfkitSpringHealthBridge");
            assertThat(context.getBean("perfkitHealthIndicator")).isInstanceOf(Boot4PerfkitHealthIndicator.class);
            Perf perf = context.getBean(Perf.class);
            HealthIndicator indicator = context.getBean(Boot4PerfkitHealthIndicator.class);
            perf.health().register("queue", () -> HealthResult.degraded("backlog"));
            Health degraded = indicator.health();
            assertThat(degraded.getStatus()).isIn(Boot4PerfkitHealthIndicator.DEGRADED, Status.DOWN);
            assertThat(degraded.getDetails()).containsKeys("queue", "deadlocks");
            perf.health().register("payments", () -> HealthResult.down("gateway unreachable"));
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("payments").toString()).contains("gateway unreachable");
        });
    }

    @Test
    void springsContributorsBecomePerfkitReadinessChecksWithoutALoop() {
        runner.withUserConfiguration(Boot4Registry.class).run(context -> {
            Perf perf = context.getBean(Perf.class);
            assertThat(context.getBean(Boot4SpringHealthBridge.class).registered())
                    .containsExactlyInAnyOrder("spring.db", "spring.brokers", "spring.cache");
            Map<String, HealthResult> checks = perf.health().checkAll().components();
            assertThat(checks.get("spring.db").status()).isEqualTo(HealthStatus.DOWN);
            assertThat(checks.get("spring.db").message()).isEqualTo("DOWN: connection refused");
            // a composite is its worst member; OUT_OF_SERVICE is DOWN for Perfkit
            assertThat(checks.get("spring.brokers").status()).isEqualTo(HealthStatus.DOWN);
            assertThat(checks.get("spring.cache").status()).isEqualTo(HealthStatus.UP);
            assertThat(checks.keySet()).noneMatch(n -> n.startsWith("spring.perfkit"));
            // ...and Perfkit's component leaves the bridged checks out
            Health perfkit = context.getBean(Boot4PerfkitHealthIndicator.class).health();
            assertThat(perfkit.getDetails().keySet()).noneMatch(n -> n.startsWith("spring."));
        });
    }

    @Test
    void switchesAndBackOffs() {
        runner.withPropertyValues("perfkit.health.enabled=false").run(context -> assertThat(context)
                .hasSingleBean(Perf.class).doesNotHaveBean("perfkitHealthIndicator")
                .doesNotHaveBean(Boot4SpringHealthBridge.class));
        runner.withPropertyValues("perfkit.health.spring.enabled=false").run(context -> assertThat(context)
                .hasSingleBean(Boot4PerfkitHealthIndicator.class).doesNotHaveBean(Boot4SpringHealthBridge.class));
        runner.withBean("perfkitHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
                .run(context -> assertThat(context).doesNotHaveBean(Boot4PerfkitHealthIndicator.class)
                        .hasSingleBean(Boot4SpringHealthBridge.class));
        // without Boot 4's registry (health endpoint off) the bridge bridges nothing and does not fail
        runner.run(context -> assertThat(context.getBean(Boot4SpringHealthBridge.class).registered()).isEmpty());
    }
}
