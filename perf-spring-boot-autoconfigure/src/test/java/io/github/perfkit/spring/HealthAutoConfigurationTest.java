package io.github.perfkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.spring.internal.PerfkitHealthIndicator;
import org.junit.jupiter.api.Test;
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

    @Test
    void switchedOffOrWithoutActuator() {
        runner.withPropertyValues("perfkit.health.enabled=false").run(context ->
                assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean(PerfkitHealthIndicator.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context ->
                assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean("perfkitHealthIndicator"));
    }
}
