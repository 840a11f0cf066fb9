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

    private final DefaultOperation[] op;
    private final long[] start;
    private final long[] duration;
    private final int[] parent;
    private final int[] queries;
    private final Object[] extraTags; // lazily, per node: String[] key/value pairs
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
        extraTags = new Object[capacity];
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
        extraTags[i] = null;
        return i;
    }

    void end(int node, long nanos) {
        duration[node] = nanos;
    }

    void tag(int node, String key, String value) {
        String[] old = (String[]) extraTags[node];
        String[] now = old == null ? new String[2] : Arrays.copyOf(old, old.length + 2);
        now[now.length - 2] = key;
        now[now.length - 1] = value;
        extraTags[node] = now;
    }

    void addQuery(int node) {
        if (node >= 0) {
            queries[node]++;
        }
    }

    void reset() {
        ref = null;
        Arrays.fill(op, 0, count, null);
        Arrays.fill(extraTags, 0, count, null);
        count = 0;
        dropped = 0;
    }

    ProfileTree build(String id, String name, long durationNanos, boolean keptBySampling) {
        @SuppressWarnings("unchecked")
        List<ProfileNode>[] children = new List[count];
        ProfileNode[] nodes = new ProfileNode[count];
        // Children have higher indexes than their parents: build bottom-up.
        for (int i = count - 1; i >= 0; i--) {
            List<ProfileNode> kids = children[i] == null ? List.of() : reverse(children[i]);
            nodes[i] = new ProfileNode(op[i].name(), start[i] - start[0], duration[i], tagsOf(i), queries[i], kids);
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

    private Map<String, String> tagsOf(int i) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : op[i].tags()) {
            tags.put(t.getKey(), t.getValue());
        }
        String[] extra = (String[]) extraTags[i];
        if (extra != null) {
            for (int k = 0; k < extra.length; k += 2) {
                tags.put(extra[k], extra[k + 1]);
            }
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
