package io.github.perfkit.core.findings;

/** What kind of problem a {@link Finding} reports. */
public enum FindingCategory {
    /** One method takes a large, unusual share of the CPU. */
    CPU_HOTSPOT,
    /** One method allocates a large, unusual share of the memory, driving the GC. */
    ALLOCATION_PRESSURE,
    /** Retained heap grows steadily. */
    MEMORY_LEAK,
    /** Live threads grow steadily. */
    THREAD_LEAK,
    /** Threads wait long on one lock. */
    LOCK_CONTENTION,
    /** A statement is slow. */
    SLOW_SQL,
    /** The same statement runs many times within one request. */
    N_PLUS_ONE,
    /** Threads are deadlocked. */
    DEADLOCK
}
