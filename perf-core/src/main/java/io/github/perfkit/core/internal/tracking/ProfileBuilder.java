package io.github.perfkit.core.internal.tracking;

import io.github.perfkit.core.ProfileNode;
import io.github.perfkit.core.ProfileTree;
import io.github.perfkit.core.RequestRef;
import io.micrometer.core.instrument.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The profile tree of the request in progress on one thread, kept in preallocated parallel arrays
 * so that adding a node allocates nothing. Confined to its owner thread. At most {@code capacity}
 * nodes are kept; further scopes are counted as dropped.
 */
final class ProfileBuilder {

    /** Most extra tags kept per request (over all its nodes). */
    static final int MAX_TAGS = 256;

    private final DefaultOperation[] op;
    private final long[] start;
    private final long[] duration;
    private final int[] parent;
    private final int[] queries;
    // Extra tags of the current request's nodes, appended in place (no allocation per tag): node, key and value
    // (a String, or null for the number in tagNumbers). At most MAX_TAGS per request; more are dropped.
    private final int[] tagNodes;
    private final String[] tagKeys;
    private final @Nullable String[] tagValues;
    private final long[] tagNumbers;
    private int tagCount;
    private int count;
    private int dropped;
    boolean sampled;
    long startWallMillis;
    /** The current request's identity, created on its first counted query; null until then. */
    @Nullable RequestRef ref;

    ProfileBuilder(int capacity) {
        op = new DefaultOperation[capacity];
        start = new long[capacity];
        duration = new long[capacity];
        parent = new int[capacity];
        queries = new int[capacity];
        int maxTags = Math.min(MAX_TAGS, Math.max(8, capacity * 2));
        tagNodes = new int[maxTags];
        tagKeys = new String[maxTags];
        tagValues = new String[maxTags];
        tagNumbers = new long[maxTags];
    }

    int begin(DefaultOperation root, long startNanos) {
        reset();
        return add(root, -1, startNanos);
    }

    int rootNode() {
        return count > 0 ? 0 : -1;
    }

    int add(DefaultOperation o, int parentNode, long startNanos) {
        if (count == op.length || (parentNode < 0 && count > 0)) {
            dropped++;
            return -1;
        }
        int i = count++;
        op[i] = o;
        start[i] = startNanos;
        duration[i] = -1;
        parent[i] = parentNode;
        queries[i] = 0;
        return i;
    }

    void end(int node, long nanos) {
        duration[node] = nanos;
    }

    void tag(int node, String key, String value) {
        int t = nextTag(node, key);
        if (t >= 0) {
            tagValues[t] = value;
        }
    }

    void tag(int node, String key, long value) {
        int t = nextTag(node, key);
        if (t >= 0) {
            tagValues[t] = null;
            tagNumbers[t] = value;
        }
    }

    private int nextTag(int node, String key) {
        if (tagCount == tagKeys.length) {
            return -1;
        }
        int t = tagCount++;
        tagNodes[t] = node;
        tagKeys[t] = key;
        return t;
    }

    void addQuery(int node) {
        if (node >= 0) {
            queries[node]++;
        }
    }

    void reset() {
        ref = null;
        Arrays.fill(op, 0, count, null);
        Arrays.fill(tagKeys, 0, tagCount, null);
        Arrays.fill(tagValues, 0, tagCount, null);
        tagCount = 0;
        count = 0;
        dropped = 0;
    }

    ProfileTree build(String id, String name, long durationNanos, boolean keptBySampling) {
        @SuppressWarnings("unchecked")
        List<ProfileNode>[] children = new List[count];
        ProfileNode[] nodes = new ProfileNode[count];
        @SuppressWarnings("unchecked")
        Map<String, String>[] extra = new Map[count];
        for (int t = 0; t < tagCount; t++) {
            int n = tagNodes[t];
            if (n >= 0 && n < count) {
                if (extra[n] == null) {
                    extra[n] = new LinkedHashMap<>();
                }
                String value = tagValues[t];
                extra[n].put(tagKeys[t], value != null ? value : Long.toString(tagNumbers[t]));
            }
        }
        // Children have higher indexes than their parents: build bottom-up.
        for (int i = count - 1; i >= 0; i--) {
            List<ProfileNode> kids = children[i] == null ? List.of() : reverse(children[i]);
            nodes[i] = new ProfileNode(op[i].name(), start[i] - start[0], duration[i], tagsOf(i, extra[i]), queries[i], kids);
            int p = parent[i];
            if (p >= 0) {
                if (children[p] == null) {
                    children[p] = new ArrayList<>();
                }
                children[p].add(nodes[i]);
            }
        }
        return new ProfileTree(id, name, Instant.ofEpochMilli(startWallMillis), durationNanos, nodes[0], count, dropped,
                keptBySampling);
    }

    private Map<String, String> tagsOf(int i, @Nullable Map<String, String> extra) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : op[i].tags()) {
            tags.put(t.getKey(), t.getValue());
        }
        if (extra != null) {
            tags.putAll(extra);
        }
        return tags;
    }

    private static List<ProfileNode> reverse(List<ProfileNode> reversed) {
        List<ProfileNode> inOrder = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            inOrder.add(reversed.get(i));
        }
        return inOrder;
    }

    int count() {
        return count;
    }
}
