package io.github.perfkit.core.diagnostics;

import io.github.perfkit.core.internal.diagnostics.ThreadDumps;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Takes thread dumps with summaries (counts by state and name prefix, wait chains) and finds deadlocks,
 * through the platform {@link ThreadMXBean}.
 *
 * <pre>{@code
 * ThreadDump dump = ThreadDiagnostics.ofDefaults().dump();
 * dump.deadlocks().forEach(d -> log.error("Deadlock: {}", d.description()));
 * }</pre>
 *
 * <p>Everything is bounded: stack depth, threads listed, name prefixes and chains. Thread-safe.
 */
public final class ThreadDiagnostics {

    /** Default stack depth per thread. */
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** Most threads listed in a dump (summaries count them all). */
    public static final int MAX_THREADS = 5_000;
    /** Most name prefixes in {@link ThreadDump#byNamePrefix()}. */
    public static final int MAX_PREFIXES = 50;
    /** Most chains in {@link ThreadDump#waitChains()}. */
    public static final int MAX_CHAINS = 50;

    private final ThreadMXBean threads;
    private final Clock clock;

    private ThreadDiagnostics(ThreadMXBean threads, Clock clock) {
        this.threads = threads;
        this.clock = clock;
    }

    /**
     * Diagnostics of this JVM's threads.
     *
     * @return diagnostics over the platform thread MXBean
     */
    public static ThreadDiagnostics ofDefaults() {
        return of(ManagementFactory.getThreadMXBean(), Clock.systemUTC());
    }

    /**
     * Diagnostics over a given MXBean and clock.
     *
     * @param threads the thread MXBean
     * @param clock the clock stamping dumps
     * @return the diagnostics
     */
    public static ThreadDiagnostics of(ThreadMXBean threads, Clock clock) {
        return new ThreadDiagnostics(Objects.requireNonNull(threads, "threads"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * A dump with stacks of at most {@link #DEFAULT_MAX_DEPTH} frames.
     *
     * @return the dump
     */
    public ThreadDump dump() {
        return dump(DEFAULT_MAX_DEPTH);
    }

    /**
     * A dump with stacks of at most {@code maxDepth} frames, locks included where the JVM supports it.
     *
     * @param maxDepth frames kept per thread, 0 to 1024
     * @return the dump
     * @throws IllegalArgumentException if {@code maxDepth} is outside [0, 1024]
     */
    public ThreadDump dump(int maxDepth) {
        if (maxDepth < 0 || maxDepth > 1024) {
            throw new IllegalArgumentException("maxDepth must be in [0, 1024], was " + maxDepth);
        }
        return ThreadDumps.dump(threads, clock.instant(), maxDepth, MAX_THREADS, MAX_PREFIXES, MAX_CHAINS);
    }

    /**
     * Deadlocks right now, on monitors and on ownable synchronizers (e.g. {@code ReentrantLock}).
     *
     * @return the deadlocks, empty when there are none
     */
    public List<Deadlock> deadlocks() {
        return ThreadDumps.deadlocks(threads, DEFAULT_MAX_DEPTH);
    }

    /**
     * Thread name prefixes whose thread count grew between two dumps (the start of a thread-leak diagnosis:
     * a prefix that keeps growing names the leaking pool). Prefixes beyond {@link #MAX_PREFIXES} in either dump
     * are not seen.
     *
     * @param before the earlier dump
     * @param after the later dump
     * @return prefix to growth in threads, largest growth first; only prefixes that grew
     */
    public static Map<String, Integer> prefixGrowth(ThreadDump before, ThreadDump after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        List<Map.Entry<String, Integer>> grown = new ArrayList<>();
        for (Map.Entry<String, Integer> e : after.byNamePrefix().entrySet()) {
            int delta = e.getValue() - before.byNamePrefix().getOrDefault(e.getKey(), 0);
            if (delta > 0) {
                grown.add(Map.entry(e.getKey(), delta));
            }
        }
        grown.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : grown) {
            out.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * A thread name with every run of digits replaced by {@code #}, to group pool threads.
     *
     * @param threadName a thread name
     * @return its prefix, e.g. {@code pool-#-thread-#}
     */
    public static String namePrefix(String threadName) {
        return ThreadDumps.namePrefix(threadName);
    }
}
