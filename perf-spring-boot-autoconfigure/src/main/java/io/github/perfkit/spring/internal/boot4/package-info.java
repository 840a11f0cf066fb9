/**
 * Spring Boot 4 health bridging (Boot 4 moved the health API to {@code spring-boot-health},
 * {@code org.springframework.boot.health.*}): loaded only by {@code PerfkitBoot4HealthAutoConfiguration}, which
 * applies only when that API is on the class path. Not API.
 */
@NullMarked
package io.github.perfkit.spring.internal.boot4;

import org.jspecify.annotations.NullMarked;
