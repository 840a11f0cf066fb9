package io.github.perfkit.spring.bootsecurity;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application that relies on Spring Boot's default security (no SecurityFilterChain of its own). */
@SpringBootApplication
public class BootSecurityApp {
}
