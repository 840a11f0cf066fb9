/**
 * Perfkit core: the {@link io.github.perfkit.core.Perf} hub, scoped performance tracking with exact
 * percentiles and per-request profile trees, and the SPIs other Perfkit modules plug into.
 *
 * <p>Start with {@link io.github.perfkit.core.Perf#builder()}.
 */
@NullMarked
package io.github.perfkit.core;

import org.jspecify.annotations.NullMarked;
