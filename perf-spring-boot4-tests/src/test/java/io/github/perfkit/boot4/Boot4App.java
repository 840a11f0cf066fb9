package io.github.perfkit.boot4;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A plain Spring Boot 4 web application with Actuator and the Perfkit starter, as a user's would be: one controller
 * and one health indicator of its own ({@code inventory}) whose status the tests switch.
 */
@SpringBootApplication
public class Boot4App {

    /**
     * Runs the application.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(Boot4App.class, args);
    }

    /** @return the switch of the inventory indicator: true is UP */
    @Bean
    AtomicBoolean inventoryUp() {
        return new AtomicBoolean(true);
    }

    /**
     * The application's own health indicator (Boot 4's {@code HealthIndicator}).
     *
     * @param inventoryUp its switch
     * @return the indicator, Actuator component {@code inventory}
     */
    @Bean
    HealthIndicator inventoryHealthIndicator(AtomicBoolean inventoryUp) {
        return () -> inventoryUp.get() ? Health.up().build()
                : Health.down().withDetail("error", "inventory unreachable").build();
    }

    /** A controller. */
    @RestController
    static class Greeting {
        @GetMapping("/hello/{name}")
        String hello(@PathVariable String name) {
            return "hello " + name;
        }
    }
}
