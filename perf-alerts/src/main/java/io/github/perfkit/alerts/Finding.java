package io.github.perfkit.alerts;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one rule found for one subject in one evaluation.
 *
 * <p>Thread-safe: an immutable record.
 *
 * @param subject what the finding is about, e.g. {@code perfkit.system.cpu.usage} or
 *     {@code http.server.requests{uri=/checkout}}; the alert is deduplicated by rule + subject
 * @param labels labels of the subject (tags), used by silences
 * @param active whether the condition holds
 * @param value the measured value (NaN if none)
 * @param description a human description of what was measured
 * @param points the samples that led to the finding (bounded by the rule)
 */
public record Finding(String subject, Map<String, String> labels, boolean active, double value,
                      String description, List<DataPoint> points) {

    /**
     * Validates and copies the fields.
     *
     * @param subject what the finding is about, e.g. {@code perfkit.system.cpu.usage} or {@code http.server.requests{uri=/checkout}}; the alert is deduplicated by rule + subject
     * @param labels labels of the subject (tags), used by silences
     * @param active whether the condition holds
     * @param value the measured value (NaN if none)
     * @param description a human description of what was measured
     * @param points the samples that led to the finding (bounded by the rule)
     * @throws IllegalArgumentException if a field is invalid
     */
    public Finding {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(description, "description");
        labels = Map.copyOf(labels);
        points = List.copyOf(points);
    }
}
