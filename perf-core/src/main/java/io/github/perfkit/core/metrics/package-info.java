/**
 * System and JVM metrics collectors published as Micrometer binders ({@link
 * io.github.perfkit.core.metrics.SystemMetrics}, {@link io.github.perfkit.core.metrics.JvmMetrics}) and
 * the {@link io.github.perfkit.core.metrics.CardinalityGuard} meter filter that bounds the number of
 * series per meter name.
 *
 * <p>Collectors read the operating system and the JVM only in {@code refresh()}, which the hub calls
 * once per collection tick from its scheduler thread; gauges read the cached snapshot and never block or
 * allocate.
 */
@NullMarked
package io.github.perfkit.core.metrics;

import org.jspecify.annotations.NullMarked;
