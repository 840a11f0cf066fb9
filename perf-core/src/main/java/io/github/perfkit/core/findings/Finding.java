package io.github.perfkit.core.findings;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A diagnosed problem: its category, the culprit ({@code package.Class.method}, the first application
 * frame), the evidence that supports it, and a recommendation tied to that evidence. Immutable.
 *
 * @param id stable identity: category and culprit (and subject, when one is given)
 * @param category what kind of problem
 * @param culprit the guilty method, {@code package.Class.method}
 * @param subject the endpoint, operation, monitor or statement concerned, when known
 * @param evidence the figures that support the finding (shares, counts, rates), JSON-friendly values
 * @param sampleStack a sample stack through the culprit, top frame first (bounded)
 * @param firstSeen when the problem was first seen
 * @param lastSeen when it was last seen
 * @param recommendation what to look at, tied to the evidence
 * @param active {@code false} once the evidence went away (the finding is resolved)
 */
public record Finding(
        String id,
        FindingCategory category,
        String culprit,
        @Nullable String subject,
        Map<String, Object> evidence,
        List<String> sampleStack,
        Instant firstSeen,
        Instant lastSeen,
        String recommendation,
        boolean active) {

    /** Frames kept in {@link #sampleStack}. */
    public static final int MAX_STACK = 32;

    /** Compact constructor: validates and copies. */
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(culprit, "culprit");
        evidence = Map.copyOf(evidence);
        sampleStack = List.copyOf(sampleStack.size() > MAX_STACK ? sampleStack.subList(0, MAX_STACK) : sampleStack);
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(recommendation, "recommendation");
    }

    /**
     * The identity of a finding of {@code category} about {@code culprit} and {@code subject}.
     *
     * @param category the category
     * @param culprit the culprit
     * @param subject the subject, or {@code null}
     * @return the id
     */
    public static String idOf(FindingCategory category, String culprit, @Nullable String subject) {
        return category.name().toLowerCase(java.util.Locale.ROOT) + ":" + culprit + (subject == null ? "" : ":" + subject);
    }

    /**
     * This finding, resolved at {@code when}.
     *
     * @param when when the evidence went away
     * @return the resolved finding
     */
    public Finding resolved(Instant when) {
        return new Finding(id, category, culprit, subject, evidence, sampleStack, firstSeen, when, recommendation, false);
    }
}
