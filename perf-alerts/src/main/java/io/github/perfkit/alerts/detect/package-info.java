/**
 * Detectors for the classic JVM problems (memory leak, CPU spike, thread leak, GC pressure) and SLO
 * rule factories, as {@link io.github.perfkit.alerts.AlertRule}s over the metrics history.
 */
@NullMarked
package io.github.perfkit.alerts.detect;

import org.jspecify.annotations.NullMarked;
