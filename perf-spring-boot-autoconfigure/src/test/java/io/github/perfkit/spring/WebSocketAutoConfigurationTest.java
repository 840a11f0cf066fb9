package io.github.perfkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Perf;
import io.github.perfkit.servlet.WebSocketMonitor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.websocket.server.ServerEndpointConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Conditions, switch and back-off of the {@link WebSocketMonitor} bean. */
class WebSocketAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PerfkitAutoConfiguration.class,
                    PerfkitWebSocketAutoConfiguration.class))
            .withPropertyValues("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false");

    @Test
    void aServletWebAppWithTheWebSocketApiGetsAMonitorOnTheHubsRegistry() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(WebSocketMonitor.class);
            assertThat(context.getBean(WebSocketMonitor.class).openSessions("any")).isZero();
        });
    }

    @Test
    void switchedOffWithoutTheApiOrOutsideAServletWebApp() {
        runner.withPropertyValues("perfkit.servlet.websocket.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean(WebSocketMonitor.class));
        runner.withPropertyValues("perfkit.servlet.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(WebSocketMonitor.class));
        runner.withClassLoader(new FilteredClassLoader(ServerEndpointConfig.class))
                .run(context -> assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean(WebSocketMonitor.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PerfkitAutoConfiguration.class,
                        PerfkitWebSocketAutoConfiguration.class))
                .withPropertyValues("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean(WebSocketMonitor.class));
    }

    @Test
    void backsOffForTheApplicationsOwnMonitor() {
        runner.withUserConfiguration(OwnMonitor.class).run(context -> {
            assertThat(context).hasSingleBean(WebSocketMonitor.class);
            assertThat(context.getBean(WebSocketMonitor.class)).isSameAs(context.getBean("ownMonitor"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMonitor {
        @Bean
        WebSocketMonitor ownMonitor() {
            return new WebSocketMonitor(new SimpleMeterRegistry());
        }
    }
}
