package io.github.perfkit.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Holds back notifications of alerts whose labels match every matcher, until {@code endsAt}. Label
 * keys include {@code alertname} (the rule), {@code subject}, {@code level} and the subject's tags; a
 * matcher value ending in {@code *} matches by prefix ({@code *} alone matches anything).
 *
 * <p>Thread-safe: an immutable record.
 *
 * @param id the silence id (assigned by the engine when blank)
 * @param matchers label matchers, at least one
 * @param endsAt when the silence expires
 * @param createdBy who created it
 * @param comment why
 */
public record Silence(String id, Map<String, String> matchers, Instant endsAt, String createdBy, String comment) {

    /**
     * Validates and copies the fields.
     *
     * @param id the silence id (assigned by the engine when blank)
     * @param matchers label matchers, at least one
     * @param endsAt when the silence expires
     * @param createdBy who created it
     * @param comment why
     * @throws IllegalArgumentException if a field is invalid
     */
    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endsAt, "endsAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(comment, "comment");
        matchers = Map.copyOf(matchers);
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one matcher");
        }
    }

    /**
     * Creates a silence with an engine-assigned id.
     *
     * @param matchers label matchers
     * @param endsAt expiry
     * @param createdBy author
     * @param comment reason
     * @return the silence
     */
    public static Silence of(Map<String, String> matchers, Instant endsAt, String createdBy, String comment) {
        return new Silence("", matchers, endsAt, createdBy, comment);
    }

    /**
     * @param labels alert labels
     * @return whether every matcher matches
     */
    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> m : matchers.entrySet()) {
            String actual = labels.get(m.getKey());
            String want = m.getValue();
            if (actual == null) {
                return false;
            }
            if (want.endsWith("*")) {
                if (!actual.startsWith(want.substring(0, want.length() - 1))) {
                    return false;
                }
            } else if (!want.equals(actual)) {
                return false;
            }
        }
        return true;
    }
}
