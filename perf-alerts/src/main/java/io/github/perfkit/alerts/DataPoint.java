package io.github.perfkit.alerts;

/**
 * One sample that contributed to an alert.
 *
 * <p>Thread-safe: an immutable record.
 *
 * @param epochMillis the sample time
 * @param value the sample value
 */
public record DataPoint(long epochMillis, double value) {}
