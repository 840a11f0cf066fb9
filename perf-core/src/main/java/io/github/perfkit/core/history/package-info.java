/**
 * Bounded in-memory metrics history: a time-series store sampled every tick, with downsampling
 * tiers and memory fixed by configuration, and the query API the alerts and dashboard read.
 *
 * <p>Start with {@link io.github.perfkit.core.history.MetricsHistory#create(HistoryConfig)}.
 */
@NullMarked
package io.github.perfkit.core.history;

import org.jspecify.annotations.NullMarked;
