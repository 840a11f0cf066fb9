/**
 * Health checks: the {@link io.github.perfkit.core.health.HealthCheck} SPI, the
 * {@link io.github.perfkit.core.health.HealthRegistry} that runs registered checks in parallel with a
 * timeout each and caches their results, liveness/readiness groups, aggregation rules and built-in
 * checks ({@link io.github.perfkit.core.health.HealthChecks}).
 */
@NullMarked
package io.github.perfkit.core.health;

import org.jspecify.annotations.NullMarked;
