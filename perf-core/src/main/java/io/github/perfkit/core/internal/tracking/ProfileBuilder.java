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
 * The profile tree of the request in progress on one thread, kept in preallocated arrays so that adding a node or a
 * tag allocates nothing. A node is one record of {@value #NODE} longs (start, duration, parent and query count) and a
 * tag one record of two slots in each of two arrays, so a request touches few cache lines. Confined to its owner
 * thread. At most {@code capacity}
 * nodes are kept; further scopes are counted as dropped.
 */
final class ProfileBuilder {

    /** Most extra tags kept per request (over all its nodes). */
    static final int MAX_TAGS = 256;

    /** Longs per node record: start, duration, parent node (high int) and query count (low int). */
    static final int NODE = 3;

    private final DefaultOperation[] op;
    private final long[] nodes;
    // Extra tags of the current request's nodes, appended in place (no allocation per tag): texts holds the key and
    // the value (a String, or null for a number), numbers the node and the number. At most MAX_TAGS per request;
    // more are dropped.
    private final @Nullable String[] texts;
    private final long[] numbers;
    private final int maxTags;
    private int tagCount;
    private int count;
    private int dropped;
    long startWallMillis;
    /** The current request's identity, created on its first counted query; null until then. */
    @Nullable RequestRef ref;

    ProfileBuilder(int capacity) {
        op = new DefaultOperation[capacity];
        nodes = new long[capacity * NODE];
        maxTags = Math.min(MAX_TAGS, Math.max(8, capacity * 2));
        texts = new String[maxTags * 2];
        numbers = new long[maxTags * 2];
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
        int r = i * NODE;
        nodes[r] = startNanos;
        nodes[r + 1] = -1;
        nodes[r + 2] = (long) parentNode << 32;
        return i;
    }

    void end(int node, long nanos) {
        nodes[node * NODE + 1] = nanos;
    }

    void tag(int node, String key, String value) {
        int t = nextTag(node, key);
        if (t >= 0) {
            texts[t * 2 + 1] = value;
        }
    }

    void tag(int node, String key, long value) {
        int t = nextTag(node, key);
        if (t >= 0) {
            texts[t * 2 + 1] = null;
            numbers[t * 2 + 1] = value;
        }
    }

    /** Tags a node with {@code text}, or with {@code number} when {@code text} is null. */
    void tag(int node, String key, @Nullable String text, long number) {
        if (text != null) {
            tag(node, key, text);
        } else {
            tag(node, key, number);
        }
    }

    private int nextTag(int node, String key) {
        if (tagCount == maxTags) {
            return -1;
        }
        int t = tagCount++;
        texts[t * 2] = key;
        numbers[t * 2] = node;
        return t;
    }

    void addQuery(int node) {
        if (node >= 0) {
            nodes[node * NODE + 2]++; // the low int; a request has far fewer than 2^31 queries per node
        }
    }

    void reset() {
        ref = null;
        Arrays.fill(op, 0, count, null);
        Arrays.fill(texts, 0, tagCount * 2, null);
        tagCount = 0;
        count = 0;
        dropped = 0;
    }

    ProfileTree build(String id, String name, long durationNanos, boolean keptBySampling) {
        @SuppressWarnings("unchecked")
        List<ProfileNode>[] children = new List[count];
        ProfileNode[] built = new ProfileNode[count];
        @SuppressWarnings("unchecked")
        Map<String, String>[] extra = new Map[count];
        for (int t = 0; t < tagCount; t++) {
            int n = (int) numbers[t * 2];
            if (n >= 0 && n < count) {
                if (extra[n] == null) {
                    extra[n] = new LinkedHashMap<>();
                }
                String value = texts[t * 2 + 1];
                extra[n].put(texts[t * 2], value != null ? value : Long.toString(numbers[t * 2 + 1]));
            }
        }
        // Children have higher indexes than their parents: build bottom-up.
        for (int i = count - 1; i >= 0; i--) {
            List<ProfileNode> kids = children[i] == null ? List.of() : reverse(children[i]);
            int r = i * NODE;
            built[i] = new ProfileNode(op[i].name(), nodes[r] - nodes[0], nodes[r + 1], tagsOf(i, extra[i]),
                    (int) nodes[r + 2], kids);
            int p = (int) (nodes[r + 2] >> 32);
            if (p >= 0) {
                if (children[p] == null) {
                    children[p] = new ArrayList<>();
                }
                children[p].add(built[i]);
            }
        }
        return new ProfileTree(id, name, Instant.ofEpochMilli(startWallMillis), durationNanos, built[0], count, dropped,
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
