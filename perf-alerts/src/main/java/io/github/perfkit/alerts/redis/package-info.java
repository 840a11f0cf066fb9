/** Redis-backed {@link io.github.perfkit.alerts.AlertStore} (Lettuce, an optional dependency). */
@NullMarked
package io.github.perfkit.alerts.redis;

import org.jspecify.annotations.NullMarked;
