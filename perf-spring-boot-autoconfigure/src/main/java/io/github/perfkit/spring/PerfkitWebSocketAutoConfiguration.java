package io.github.perfkit.spring;

import io.github.perfkit.core.Perf;
import io.github.perfkit.servlet.WebSocketMonitor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Defines Perfkit's {@link WebSocketMonitor} (sessions, messages, bytes, errors and session durations per channel,
 * as {@code perfkit.websocket.*} meters on the hub's registry) in a servlet web application with the Jakarta
 * WebSocket API on the class path. The monitor measures only the endpoints configured through it:
 *
 * <pre>{@code
 * @Bean
 * ServerEndpointConfig chatEndpoint(WebSocketMonitor monitor) {
 *     return ServerEndpointConfig.Builder.create(WebSocketMonitor.MonitoredEndpoint.class, "/ws/chat")
 *             .configurator(monitor.configurator("chat", ChatEndpoint::new)).build();
 * }
 * }</pre>
 *
 * (registered with the container by Spring's {@code ServerEndpointExporter}, or by
 * {@code ServerContainer.addEndpoint}). Backs off when the application defines its own {@link WebSocketMonitor};
 * switched off with {@code perfkit.servlet.websocket.enabled=false} (or {@code perfkit.servlet.enabled=false}).
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"jakarta.websocket.server.ServerEndpointConfig", "jakarta.websocket.Endpoint",
        "io.github.perfkit.servlet.WebSocketMonitor"})
@ConditionalOnBean(Perf.class)
@ConditionalOnProperty(prefix = "perfkit.servlet", name = "enabled", havingValue = "true", matchIfMissing = true)
public class PerfkitWebSocketAutoConfiguration {

    /** Creates the configuration; called by Spring. */
    public PerfkitWebSocketAutoConfiguration() {
        // configuration class
    }

    /**
     * The WebSocket monitor on the hub's registry ({@code perfkit.servlet.websocket.enabled}, default true).
     *
     * @param perf the hub
     * @return the monitor
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "perfkit.servlet.websocket", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    public WebSocketMonitor perfWebSocketMonitor(Perf perf) {
        return new WebSocketMonitor(perf.registry());
    }
}
