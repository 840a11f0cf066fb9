package io.github.perfkit.core;

import io.micrometer.core.instrument.Tags;

/**
 * Statistics of one tracked operation: over the sliding window and since the tracker started.
 * Immutable.
 *
 * @param name operation name
 * @param tags operation tags
 * @param window statistics over the configured sliding window (see {@link TrackerConfig#window()})
 * @param total statistics since the operation was first recorded
 */
public record OperationStats(String name, Tags tags, LatencySnapshot window, LatencySnapshot total) {}
