package io.github.perfkit.core.profiling;

/** What a recording captures, on top of JFR's low-overhead defaults (GC, safepoints, threads). */
public enum ProfileSettings {
    /** CPU samples of Java code every 10 ms. */
    CPU,
    /** Allocation samples (class, size, allocating stack). */
    ALLOCATION,
    /** Contended monitor entries and thread parks above the lock threshold. */
    LOCKS,
    /** All of the above. */
    ALL
}
