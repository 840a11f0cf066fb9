package io.github.perfkit.core.diagnostics;

import java.util.List;

/**
 * A chain of threads each waiting for a lock held by the next: {@code threads.get(0)} waits for a lock owned
 * by {@code threads.get(1)}, and so on; the last one waits for nothing owned (it is the one to look at) unless
 * the chain is a cycle. Immutable.
 *
 * @param threads the threads in waiting order
 * @param locks the lock each thread but the last waits for, in the same order
 * @param cyclic whether the last thread waits for a lock held by a thread earlier in the chain (a deadlock)
 */
public record WaitChain(List<ThreadSnapshot> threads, List<String> locks, boolean cyclic) {

    /** Compact constructor: defensive copies. */
    public WaitChain {
        threads = List.copyOf(threads);
        locks = List.copyOf(locks);
    }
}
