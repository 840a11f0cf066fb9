package io.github.perfkit.servlet.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A small direct-mapped cache of what the filter derives from a request path — whether it is excluded from
 * measurement and its normalised URI template — so a path seen before costs one hash and one comparison instead of
 * the scans. Bounded: {@value #SIZE} entries of paths up to {@value #MAX_PATH} characters (a scan of random URLs only
 * replaces entries). Thread-safe without locks: entries are immutable and published through final fields; two
 * threads racing on a slot at worst recompute an entry.
 */
public final class PathCache {

    /** Number of entries. */
    public static final int SIZE = 256;
    /** Longest path cached. */
    public static final int MAX_PATH = 256;

    private final @Nullable Entry[] entries = new Entry[SIZE];

    /**
     * What the filter derived from one path.
     *
     * @param path the raw path
     * @param excluded whether requests to it are not measured
     * @param normalised its normalised template, or null when excluded
     */
    public record Entry(String path, boolean excluded, @Nullable String normalised) {
        /** Checks the path. */
        public Entry {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * @param path a raw request path
     * @return its entry, or null when not cached
     */
    public @Nullable Entry get(String path) {
        Entry e = entries[index(path)];
        return e != null && e.path.equals(path) ? e : null;
    }

    /**
     * Caches an entry (replacing whatever shared its slot); paths longer than {@link #MAX_PATH} are not cached.
     *
     * @param entry the entry
     */
    public void put(Entry entry) {
        if (entry.path.length() <= MAX_PATH) {
            entries[index(entry.path)] = entry;
        }
    }

    private static int index(String path) {
        int h = path.hashCode();
        return (h ^ (h >>> 16)) & (SIZE - 1);
    }
}
