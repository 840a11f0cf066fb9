/**
 * Implementation of {@link io.github.perfkit.core.history.MetricsHistory}: per-series ring buffers
 * of primitive arrays and the Micrometer registry sampler. Not an API.
 */
@NullMarked
package io.github.perfkit.core.internal.history;

import org.jspecify.annotations.NullMarked;
