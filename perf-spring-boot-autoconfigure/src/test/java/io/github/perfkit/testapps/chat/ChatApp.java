package io.github.perfkit.testapps.chat;

import io.github.perfkit.servlet.WebSocketMonitor;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;

/**
 * A Spring MVC application with a Jakarta WebSocket echo endpoint measured through the starter's
 * {@link WebSocketMonitor} bean (no monitor of its own). Without Spring's {@code ServerEndpointExporter} (spring-websocket
 * is not on this class path), the endpoint is added to the container's {@link ServerContainer} directly.
 */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"})
public class ChatApp {

    /** An echo endpoint. */
    public static class EchoEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                try {
                    session.getBasicRemote().sendText("echo " + text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * The endpoint at {@code /ws/chat}, measured as channel {@code chat} by the starter's monitor.
     *
     * @param monitor the starter's monitor
     * @return its configuration
     */
    @Bean
    public ServerEndpointConfig chatEndpoint(WebSocketMonitor monitor) {
        return ServerEndpointConfig.Builder.create(WebSocketMonitor.MonitoredEndpoint.class, "/ws/chat")
                .configurator(monitor.configurator("chat", EchoEndpoint::new)).build();
    }

    /**
     * Adds the endpoint to the container once the WebSocket container exists.
     *
     * @param chatEndpoint the endpoint's configuration
     * @return the initializer
     */
    @Bean
    public ServletContextInitializer chatEndpointRegistration(ServerEndpointConfig chatEndpoint) {
        return servletContext -> servletContext.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                ServerContainer container = (ServerContainer) event.getServletContext()
                        .getAttribute(ServerContainer.class.getName());
                try {
                    container.addEndpoint(chatEndpoint);
                } catch (DeploymentException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }
}
