package io.github.perfkit.core.health;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one health check: status, message, details and how long the check took. Immutable
 * and thread-safe.
 *
 * <p>Bounded: at most {@link #MAX_DETAILS} details are kept (the first ones in iteration order) and a
 * message longer than {@link #MAX_MESSAGE_LENGTH} characters is cut, because messages often come from
 * exceptions of unknown size and results are rendered on endpoints.
 *
 * @param status the status
 * @param message a short human-readable explanation, empty when there is nothing to say
 * @param details extra values (e.g. free bytes), in insertion order; values must not be null
 * @param responseTime how long the check took; {@link Duration#ZERO} until the registry fills it in
 */
public record HealthResult(HealthStatus status, String message, Map<String, Object> details, Duration responseTime) {

    /** Maximum number of details kept. */
    public static final int MAX_DETAILS = 32;
    /** Maximum length of a message; longer messages are cut. */
    public static final int MAX_MESSAGE_LENGTH = 1024;

    /**
     * Validates and copies the components.
     *
     * @param status the status
     * @param message the message
     * @param details the details; copied, at most {@link #MAX_DETAILS} kept
     * @param responseTime the response time, not negative
     */
    public HealthResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(responseTime, "responseTime");
        if (responseTime.isNegative()) {
            throw new IllegalArgumentException("responseTime must not be negative, was " + responseTime);
        }
        if (message.length() > MAX_MESSAGE_LENGTH) {
            message = message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
        }
        details = copy(details);
    }

    /**
     * An {@code UP} result without a message.
     *
     * @return the result
     */
    public static HealthResult up() {
        return of(HealthStatus.UP, "");
    }

    /**
     * An {@code UP} result.
     *
     * @param message the message
     * @return the result
     */
    public static HealthResult up(String message) {
        return of(HealthStatus.UP, message);
    }

    /**
     * A {@code DEGRADED} result.
     *
     * @param message what is degraded
     * @return the result
     */
    public static HealthResult degraded(String message) {
        return of(HealthStatus.DEGRADED, message);
    }

    /**
     * A {@code DOWN} result.
     *
     * @param message what is wrong
     * @return the result
     */
    public static HealthResult down(String message) {
        return of(HealthStatus.DOWN, message);
    }

    /**
     * A result with the given status and message, no details and zero response time.
     *
     * @param status the status
     * @param message the message
     * @return the result
     */
    public static HealthResult of(HealthStatus status, String message) {
        return new HealthResult(status, message, Map.of(), Duration.ZERO);
    }

    /**
     * A copy with one more detail (or a replaced value for an existing key). When {@link #MAX_DETAILS}
     * details are already present, a new key is dropped.
     *
     * @param key the detail name
     * @param value the detail value
     * @return a new result
     */
    public HealthResult withDetail(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (details.size() >= MAX_DETAILS && !details.containsKey(key)) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(details);
        copy.put(key, value);
        return new HealthResult(status, message, copy, responseTime);
    }

    /**
     * A copy with the given response time.
     *
     * @param responseTime how long the check took
     * @return a new result
     */
    public HealthResult withResponseTime(Duration responseTime) {
        return new HealthResult(status, message, details, responseTime);
    }

    private static Map<String, Object> copy(Map<String, Object> details) {
        if (details.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>(Math.min(details.size(), MAX_DETAILS) * 2);
        for (Map.Entry<String, Object> e : details.entrySet()) {
            if (copy.size() >= MAX_DETAILS) {
                break;
            }
            copy.put(Objects.requireNonNull(e.getKey(), "details key"),
                    Objects.requireNonNull(e.getValue(), "details value"));
        }
        return Collections.unmodifiableMap(copy);
    }
}
