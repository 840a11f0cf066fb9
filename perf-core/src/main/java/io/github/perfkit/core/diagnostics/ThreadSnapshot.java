package io.github.perfkit.core.diagnostics;

import java.util.List;

/**
 * One thread in a {@link ThreadDump}. Immutable.
 *
 * @param id the thread id
 * @param name the thread name
 * @param state the thread state
 * @param daemon whether it is a daemon thread
 * @param lockName the lock it is blocked on or waiting for ({@code class@hash}), empty when none
 * @param lockOwnerId id of the thread owning that lock, {@code -1} when none
 * @param lockOwnerName name of the thread owning that lock, empty when none
 * @param blockedCount times it blocked to enter a monitor
 * @param waitedCount times it waited
 * @param stack its stack frames, innermost first, capped at the dump's depth
 * @param lockedMonitors monitors it holds ({@code class@hash at frame N})
 * @param lockedSynchronizers ownable synchronizers it holds (e.g. {@code ReentrantLock$NonfairSync@hash})
 */
public record ThreadSnapshot(
        long id,
        String name,
        Thread.State state,
        boolean daemon,
        String lockName,
        long lockOwnerId,
        String lockOwnerName,
        long blockedCount,
        long waitedCount,
        List<String> stack,
        List<String> lockedMonitors,
        List<String> lockedSynchronizers) {

    /** Compact constructor: defensive copies. */
    public ThreadSnapshot {
        stack = List.copyOf(stack);
        lockedMonitors = List.copyOf(lockedMonitors);
        lockedSynchronizers = List.copyOf(lockedSynchronizers);
    }

    /**
     * Whether it waits for a lock another thread owns.
     *
     * @return {@code true} when {@link #lockOwnerId()} names a thread
     */
    public boolean waitsOnOwnedLock() {
        return lockOwnerId >= 0;
    }
}
