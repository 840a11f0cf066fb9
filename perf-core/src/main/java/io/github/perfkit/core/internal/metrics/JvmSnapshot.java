package io.github.perfkit.core.internal.metrics;

/**
 * One immutable reading of the JVM metrics; arrays are never mutated after construction. Thread-safe
 * (immutable once published through a volatile field).
 */
public final class JvmSnapshot {
    /** Heap used, bytes. */
    public final double heapUsed;
    /** Heap committed, bytes. */
    public final double heapCommitted;
    /** Heap max, bytes, NaN when undefined. */
    public final double heapMax;
    /** Non-heap used, bytes. */
    public final double nonHeapUsed;
    /** Non-heap committed, bytes. */
    public final double nonHeapCommitted;
    /** Per pool used, indexed like {@link JvmSampler#poolNames()}. */
    public final double[] poolUsed;
    /** Per pool committed. */
    public final double[] poolCommitted;
    /** Per pool max, NaN when undefined. */
    public final double[] poolMax;
    /** Old generation used after the last collection, bytes, NaN when unknown. */
    public final double heapAfterGc;
    /** GC time over wall time between the last two refreshes, 0..1. */
    public final double gcPressure;
    /** Estimated bytes allocated since the collector started (monotonic). */
    public final double allocated;
    /** Allocation rate between the last two refreshes, bytes/s. */
    public final double allocationRate;
    /** Live threads. */
    public final double threadsLive;
    /** Daemon threads. */
    public final double threadsDaemon;
    /** Peak threads. */
    public final double threadsPeak;
    /** Threads per {@link Thread.State} ordinal. */
    public final double[] threadStates;
    /** Deadlocked threads. */
    public final double deadlocked;
    /** Classes currently loaded. */
    public final double classesLoaded;
    /** Classes unloaded since start. */
    public final double classesUnloaded;
    /** Uptime, milliseconds. */
    public final double uptimeMillis;
    /** Process CPU usage over all CPUs, 0..1. */
    public final double cpuUsage;

    /**
     * @param heapUsed heap used
     * @param heapCommitted heap committed
     * @param heapMax heap max
     * @param nonHeapUsed non-heap used
     * @param nonHeapCommitted non-heap committed
     * @param poolUsed per pool used
     * @param poolCommitted per pool committed
     * @param poolMax per pool max
     * @param heapAfterGc old gen after last GC
     * @param gcPressure GC time fraction
     * @param allocated bytes allocated
     * @param allocationRate bytes allocated per second
     * @param threadsLive live threads
     * @param threadsDaemon daemon threads
     * @param threadsPeak peak threads
     * @param threadStates threads per state
     * @param deadlocked deadlocked threads
     * @param classesLoaded classes loaded
     * @param classesUnloaded classes unloaded
     * @param uptimeMillis uptime
     * @param cpuUsage process CPU usage
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    public JvmSnapshot(double heapUsed, double heapCommitted, double heapMax, double nonHeapUsed,
            double nonHeapCommitted, double[] poolUsed, double[] poolCommitted, double[] poolMax, double heapAfterGc,
            double gcPressure, double allocated, double allocationRate, double threadsLive, double threadsDaemon,
            double threadsPeak, double[] threadStates, double deadlocked, double classesLoaded,
            double classesUnloaded, double uptimeMillis, double cpuUsage) {
        this.heapUsed = heapUsed;
        this.heapCommitted = heapCommitted;
        this.heapMax = heapMax;
        this.nonHeapUsed = nonHeapUsed;
        this.nonHeapCommitted = nonHeapCommitted;
        this.poolUsed = poolUsed;
        this.poolCommitted = poolCommitted;
        this.poolMax = poolMax;
        this.heapAfterGc = heapAfterGc;
        this.gcPressure = gcPressure;
        this.allocated = allocated;
        this.allocationRate = allocationRate;
        this.threadsLive = threadsLive;
        this.threadsDaemon = threadsDaemon;
        this.threadsPeak = threadsPeak;
        this.threadStates = threadStates;
        this.deadlocked = deadlocked;
        this.classesLoaded = classesLoaded;
        this.classesUnloaded = classesUnloaded;
        this.uptimeMillis = uptimeMillis;
        this.cpuUsage = cpuUsage;
    }
}
