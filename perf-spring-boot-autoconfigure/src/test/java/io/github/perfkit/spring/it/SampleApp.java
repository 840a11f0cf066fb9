package io.github.perfkit.spring.it;

import io.micrometer.core.annotation.Timed;
import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tiny Spring MVC application with nothing Perfkit-specific: the starter's auto-configuration does it all.
 * Spring Security is on the test classpath (for {@code SecuredAppHttpTest}); this app leaves it out.
 */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"})
public class SampleApp {

    /**
     * The configuration class most applications have: a {@code @Configuration} with a {@code @Bean} method, which
     * Spring enhances with a CGLIB subclass (its default {@code proxyBeanMethods = true}). Only with
     * {@code sample.app-config=true}: {@link StartupLauncher} measures the start-up with and without it, because
     * Perfkit's {@code @Timed} proxy is otherwise the first CGLIB class of this app.
     */
    @Configuration
    @ConditionalOnProperty(name = "sample.app-config", havingValue = "true")
    public static class AppConfig {
        /** @return the application's clock */
        @Bean
        public Clock clock() {
            return Clock.systemUTC();
        }
    }

    /** A service with a {@code @Timed} method. */
    @Service
    public static class Greeter {
        /**
         * @param name a name
         * @return a greeting
         */
        @Timed("greeter.greet")
        public String greet(String name) {
            return "hello " + name;
        }
    }

    /** A controller with a templated path. */
    @RestController
    public static class HelloController {
        private final Greeter greeter;

        HelloController(Greeter greeter) {
            this.greeter = greeter;
        }

        /**
         * @param name a name
         * @return a greeting
         */
        @GetMapping("/hello/{name}")
        public String hello(@PathVariable("name") String name) {
            return greeter.greet(name);
        }
    }
}
