/**
 * Spring Boot 3 auto-configuration of Perfkit: {@link io.github.perfkit.spring.PerfkitAutoConfiguration} (the
 * hub), {@link io.github.perfkit.spring.PerfkitServletAutoConfiguration} (filter and endpoints),
 * {@link io.github.perfkit.spring.PerfkitTimedAutoConfiguration} ({@code @Timed}),
 * {@link io.github.perfkit.spring.PerfkitAlertsAutoConfiguration} and
 * {@link io.github.perfkit.spring.PerfkitCacheAutoConfiguration}, configured by
 * {@link io.github.perfkit.spring.PerfkitProperties} ({@code perfkit.*}).
 */
@NullMarked
package io.github.perfkit.spring;

import org.jspecify.annotations.NullMarked;
