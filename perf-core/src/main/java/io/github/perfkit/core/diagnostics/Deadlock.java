package io.github.perfkit.core.diagnostics;

import java.util.List;

/**
 * Threads deadlocked on monitors or ownable synchronizers, as found by the JVM. Immutable.
 *
 * @param threads the deadlocked threads
 * @param description who waits for which lock held by whom, one clause per thread
 */
public record Deadlock(List<ThreadSnapshot> threads, String description) {

    /** Compact constructor: defensive copy. */
    public Deadlock {
        threads = List.copyOf(threads);
    }
}
