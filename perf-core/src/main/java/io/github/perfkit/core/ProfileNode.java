package io.github.perfkit.core;

import java.util.List;
import java.util.Map;

/**
 * One scope in a {@link ProfileTree}. Immutable.
 *
 * @param name the scope's operation name
 * @param startOffsetNanos start time relative to the start of the request, in nanoseconds
 * @param durationNanos duration in nanoseconds, or {@code -1} when the scope was still open when the
 *     request ended (it was abandoned or handed to another thread)
 * @param tags the operation's tags plus tags added with {@link Scope#tag(String, String)}
 * @param queryCount number of database queries counted directly under this scope
 * @param children child scopes in start order
 */
public record ProfileNode(
        String name,
        long startOffsetNanos,
        long durationNanos,
        Map<String, String> tags,
        int queryCount,
        List<ProfileNode> children) {

    /** Compact constructor: defensive copies. */
    public ProfileNode {
        tags = Map.copyOf(tags);
        children = List.copyOf(children);
    }

    /**
     * Whether the scope was closed before the request ended.
     *
     * @return {@code true} when the duration is known
     */
    public boolean finished() {
        return durationNanos >= 0;
    }
}
