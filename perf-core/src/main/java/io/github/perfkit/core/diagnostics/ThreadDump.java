package io.github.perfkit.core.diagnostics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A thread dump with its summaries. Immutable.
 *
 * @param capturedAt when it was taken
 * @param threadCount live threads at that moment (may exceed {@code threads.size()} when capped)
 * @param byState thread counts per state, every state present
 * @param byNamePrefix thread counts per name with digit runs replaced by {@code #} (e.g.
 *     {@code pool-#-thread-#}), most threads first, capped
 * @param waitChains chains of threads waiting on locks held by other threads, longest first, capped
 * @param deadlocks deadlocks found by the JVM
 * @param threads the threads, capped
 */
public record ThreadDump(
        Instant capturedAt,
        int threadCount,
        Map<Thread.State, Integer> byState,
        Map<String, Integer> byNamePrefix,
        List<WaitChain> waitChains,
        List<Deadlock> deadlocks,
        List<ThreadSnapshot> threads) {

    /** Compact constructor: defensive copies (map orders are kept). */
    public ThreadDump {
        byState = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(byState));
        byNamePrefix = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byNamePrefix));
        waitChains = List.copyOf(waitChains);
        deadlocks = List.copyOf(deadlocks);
        threads = List.copyOf(threads);
    }
}
