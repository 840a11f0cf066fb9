package io.github.perfkit.core.metrics;

/**
 * Names of the meters published by the Perfkit collectors and the cardinality guard, lowercase dotted,
 * in base units (bytes, seconds, ratios 0..1). Immutable constants; thread-safe.
 */
public final class MetricNames {

    /** Logical CPUs (not "count": Prometheus reserves the {@code _count} suffix). */
    public static final String SYSTEM_CPU_LOGICAL = "perfkit.system.cpu.logical";
    /** Whole-machine CPU usage 0..1. */
    public static final String SYSTEM_CPU_USAGE = "perfkit.system.cpu.usage";
    /** Per logical CPU usage 0..1, tag {@code core}. */
    public static final String SYSTEM_CPU_CORE_USAGE = "perfkit.system.cpu.core.usage";
    /** Load average over 1 minute. */
    public static final String SYSTEM_LOAD_1M = "perfkit.system.load.average.1m";
    /** Load average over 5 minutes. */
    public static final String SYSTEM_LOAD_5M = "perfkit.system.load.average.5m";
    /** Load average over 15 minutes. */
    public static final String SYSTEM_LOAD_15M = "perfkit.system.load.average.15m";
    /** Physical memory, bytes. */
    public static final String SYSTEM_MEMORY_TOTAL = "perfkit.system.memory.total";
    /** Physical memory used, bytes. */
    public static final String SYSTEM_MEMORY_USED = "perfkit.system.memory.used";
    /** Physical memory available, bytes. */
    public static final String SYSTEM_MEMORY_AVAILABLE = "perfkit.system.memory.available";
    /** Swap size, bytes. */
    public static final String SYSTEM_SWAP_TOTAL = "perfkit.system.swap.total";
    /** Swap used, bytes. */
    public static final String SYSTEM_SWAP_USED = "perfkit.system.swap.used";
    /** File store size, bytes, tag {@code mount}. */
    public static final String SYSTEM_DISK_TOTAL = "perfkit.system.disk.total";
    /** File store usable space, bytes, tag {@code mount}. */
    public static final String SYSTEM_DISK_USABLE = "perfkit.system.disk.usable";
    /** Disk read, bytes per second. */
    public static final String SYSTEM_DISK_READ = "perfkit.system.disk.read";
    /** Disk written, bytes per second. */
    public static final String SYSTEM_DISK_WRITTEN = "perfkit.system.disk.written";
    /** Network received, bytes per second, tag {@code interface}. */
    public static final String SYSTEM_NETWORK_RECEIVED = "perfkit.system.network.received";
    /** Network sent, bytes per second, tag {@code interface}. */
    public static final String SYSTEM_NETWORK_SENT = "perfkit.system.network.sent";
    /** Open file descriptors of this process. */
    public static final String SYSTEM_FILES_OPEN = "perfkit.system.files.open";
    /** File descriptor limit of this process. */
    public static final String SYSTEM_FILES_MAX = "perfkit.system.files.max";
    /** Failed system reads. */
    public static final String SYSTEM_COLLECTOR_FAILURES = "perfkit.system.collector.failures";

    /** JVM memory used, bytes, tags {@code area} (heap/nonheap) and {@code pool}. */
    public static final String JVM_MEMORY_USED = "perfkit.jvm.memory.used";
    /** JVM memory committed, bytes, tags {@code area} and {@code pool}. */
    public static final String JVM_MEMORY_COMMITTED = "perfkit.jvm.memory.committed";
    /** JVM memory max, bytes (NaN when undefined), tags {@code area} and {@code pool}. */
    public static final String JVM_MEMORY_MAX = "perfkit.jvm.memory.max";
    /** Heap used, bytes. */
    public static final String JVM_HEAP_USED = "perfkit.jvm.heap.used";
    /** Heap committed, bytes. */
    public static final String JVM_HEAP_COMMITTED = "perfkit.jvm.heap.committed";
    /** Heap max, bytes. */
    public static final String JVM_HEAP_MAX = "perfkit.jvm.heap.max";
    /** Non-heap used, bytes. */
    public static final String JVM_NONHEAP_USED = "perfkit.jvm.nonheap.used";
    /** Non-heap committed, bytes. */
    public static final String JVM_NONHEAP_COMMITTED = "perfkit.jvm.nonheap.committed";
    /** Old generation used right after the last collection, bytes. */
    public static final String JVM_HEAP_AFTER_GC = "perfkit.jvm.memory.after.gc";
    /** GC pauses, timer with tags {@code gc}, {@code action}, {@code cause}. */
    public static final String JVM_GC_PAUSE = "perfkit.jvm.gc.pause";
    /** Fraction 0..1 of wall time spent in GC between two refreshes. */
    public static final String JVM_GC_PRESSURE = "perfkit.jvm.gc.pressure";
    /** Bytes allocated in the young generation, counter. */
    public static final String JVM_MEMORY_ALLOCATED = "perfkit.jvm.memory.allocated";
    /** Allocation rate, bytes per second. */
    public static final String JVM_MEMORY_ALLOCATION_RATE = "perfkit.jvm.memory.allocation.rate";
    /** Live threads. */
    public static final String JVM_THREADS_LIVE = "perfkit.jvm.threads.live";
    /** Live daemon threads. */
    public static final String JVM_THREADS_DAEMON = "perfkit.jvm.threads.daemon";
    /** Peak live threads. */
    public static final String JVM_THREADS_PEAK = "perfkit.jvm.threads.peak";
    /** Threads per state, tag {@code state}. */
    public static final String JVM_THREADS_STATES = "perfkit.jvm.threads.states";
    /** Deadlocked threads. */
    public static final String JVM_THREADS_DEADLOCKED = "perfkit.jvm.threads.deadlocked";
    /** Classes currently loaded. */
    public static final String JVM_CLASSES_LOADED = "perfkit.jvm.classes.loaded";
    /** Classes unloaded since start, counter. */
    public static final String JVM_CLASSES_UNLOADED = "perfkit.jvm.classes.unloaded";
    /** JVM uptime, seconds. */
    public static final String JVM_UPTIME = "perfkit.jvm.uptime";
    /** CPU usage 0..1 of this process, over all CPUs. */
    public static final String JVM_CPU_USAGE = "perfkit.jvm.cpu.usage";

    /** Tag sets folded into the overflow series, tag {@code name}. */
    public static final String METERS_OVERFLOW = "perfkit.meters.overflow";

    /**
     * Tracked operations whose name is not a meter name (spaces, slashes, braces: e.g. the servlet filter's request
     * profiles {@code GET /users/{id}}), function timer with tag {@code operation}; untagged operations only.
     */
    public static final String OPERATION = "perfkit.operation";

    private MetricNames() {}
}
