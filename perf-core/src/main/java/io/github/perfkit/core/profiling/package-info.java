/**
 * Profile capture and analysis with the JDK Flight Recorder: on-demand and continuous recordings
 * ({@link io.github.perfkit.core.profiling.JfrProfiler}), their analysis into top functions,
 * hotspots, collapsed stacks, allocation and contention ({@link io.github.perfkit.core.profiling.ProfileAnalyzer},
 * {@link io.github.perfkit.core.profiling.ProfileResult}), and the comparison of a result with a
 * baseline ({@link io.github.perfkit.core.profiling.ProfileComparison}).
 */
@NullMarked
package io.github.perfkit.core.profiling;

import org.jspecify.annotations.NullMarked;
