package io.github.perfkit.spring.secured;

import io.github.perfkit.spring.PerfkitRequestMatcher;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with its own Spring Security rules: Perfkit's endpoints (through the
 * {@link PerfkitRequestMatcher} bean) need role OPS, everything else an authenticated user; HTTP Basic; CSRF on.
 */
@SpringBootApplication
public class SecuredApp {

    /** Password of both users. */
    public static final String PASSWORD = "secret-password";

    /**
     * @param http Spring Security's builder
     * @param perfkit Perfkit's request matcher
     * @return the chain
     * @throws Exception as Spring Security's builder declares
     */
    @Bean
    SecurityFilterChain app(HttpSecurity http, PerfkitRequestMatcher perfkit) throws Exception {
        return http.authorizeHttpRequests(a -> a.requestMatchers(perfkit).hasRole("OPS")
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    /** @return users {@code ops} (role OPS) and {@code dev} (role DEV) */
    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("ops").password("{noop}" + PASSWORD).roles("OPS").build(),
                User.withUsername("dev").password("{noop}" + PASSWORD).roles("DEV").build());
    }

    /** The application's own endpoints. */
    @RestController
    public static class Hello {
        /** @return a greeting */
        @GetMapping("/hello")
        public String hello() {
            return "hello";
        }

        /** @return a confirmation */
        @PostMapping("/change")
        public String change() {
            return "changed";
        }
    }
}
