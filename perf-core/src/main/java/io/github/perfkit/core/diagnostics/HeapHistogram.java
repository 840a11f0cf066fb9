package io.github.perfkit.core.diagnostics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A heap class histogram: live instances and shallow bytes per class. Immutable.
 *
 * @param capturedAt when it was taken
 * @param totalInstances instances of all classes
 * @param totalBytes bytes of all classes
 * @param classCount classes in the full histogram (may exceed {@code classes.size()} when capped)
 * @param classes the classes with the most bytes, most first, capped
 */
public record HeapHistogram(Instant capturedAt, long totalInstances, long totalBytes, int classCount,
        List<ClassEntry> classes) {

    /** Compact constructor: defensive copy. */
    public HeapHistogram {
        classes = List.copyOf(classes);
    }

    /**
     * The classes with the most bytes.
     *
     * @param n the most entries to return
     * @return at most {@code n} classes, most bytes first
     */
    public List<ClassEntry> topByBytes(int n) {
        return classes.subList(0, Math.min(Math.max(n, 0), classes.size()));
    }

    /**
     * The classes with the most instances (among the kept classes).
     *
     * @param n the most entries to return
     * @return at most {@code n} classes, most instances first
     */
    public List<ClassEntry> topByCount(int n) {
        List<ClassEntry> sorted = new ArrayList<>(classes);
        sorted.sort(Comparator.comparingLong(ClassEntry::instances).reversed());
        return List.copyOf(sorted.subList(0, Math.min(Math.max(n, 0), sorted.size())));
    }

    /**
     * The entry of one class.
     *
     * @param className the class name
     * @return its entry, or empty when it is not among the kept classes
     */
    public Optional<ClassEntry> find(String className) {
        return classes.stream().filter(c -> c.className().equals(className)).findFirst();
    }
}
