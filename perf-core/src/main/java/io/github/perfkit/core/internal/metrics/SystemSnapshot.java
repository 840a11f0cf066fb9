package io.github.perfkit.core.internal.metrics;

/**
 * One immutable reading of the system metrics. Arrays are never mutated after construction; a new
 * snapshot is built on each refresh. Thread-safe (immutable once published through a volatile field).
 */
public final class SystemSnapshot {

    /** Total CPU usage 0..1 over the last refresh interval, NaN before two readings. */
    public final double cpuUsage;
    /** Per logical CPU usage 0..1, same length as the number of logical CPUs at bind time. */
    public final double[] coreUsage;
    /** Load averages over 1, 5 and 15 minutes; NaN when the platform has none. */
    public final double load1;
    /** Load average over 5 minutes. */
    public final double load5;
    /** Load average over 15 minutes. */
    public final double load15;
    /** Physical memory total, bytes. */
    public final double memoryTotal;
    /** Physical memory available, bytes. */
    public final double memoryAvailable;
    /** Swap total, bytes. */
    public final double swapTotal;
    /** Swap used, bytes. */
    public final double swapUsed;
    /** Per file store total bytes, indexed like the stores chosen at bind time. */
    public final double[] fileStoreTotal;
    /** Per file store usable bytes. */
    public final double[] fileStoreUsable;
    /** Disk bytes read per second, summed over physical disks. */
    public final double diskReadRate;
    /** Disk bytes written per second, summed over physical disks. */
    public final double diskWriteRate;
    /** Per interface received bytes per second, indexed like the interfaces chosen at bind time. */
    public final double[] networkReceivedRate;
    /** Per interface sent bytes per second. */
    public final double[] networkSentRate;
    /** Open file descriptors of this process. */
    public final double openFds;
    /** Maximum file descriptors of this process (soft limit). */
    public final double maxFds;

    /**
     * @param cpuUsage total CPU usage
     * @param coreUsage per core usage
     * @param load1 1 min load
     * @param load5 5 min load
     * @param load15 15 min load
     * @param memoryTotal memory total
     * @param memoryAvailable memory available
     * @param swapTotal swap total
     * @param swapUsed swap used
     * @param fileStoreTotal file store totals
     * @param fileStoreUsable file store usable bytes
     * @param diskReadRate disk read bytes/s
     * @param diskWriteRate disk written bytes/s
     * @param networkReceivedRate network received bytes/s per interface
     * @param networkSentRate network sent bytes/s per interface
     * @param openFds open file descriptors
     * @param maxFds max file descriptors
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    public SystemSnapshot(double cpuUsage, double[] coreUsage, double load1, double load5, double load15,
            double memoryTotal, double memoryAvailable, double swapTotal, double swapUsed, double[] fileStoreTotal,
            double[] fileStoreUsable, double diskReadRate, double diskWriteRate, double[] networkReceivedRate,
            double[] networkSentRate, double openFds, double maxFds) {
        this.cpuUsage = cpuUsage;
        this.coreUsage = coreUsage;
        this.load1 = load1;
        this.load5 = load5;
        this.load15 = load15;
        this.memoryTotal = memoryTotal;
        this.memoryAvailable = memoryAvailable;
        this.swapTotal = swapTotal;
        this.swapUsed = swapUsed;
        this.fileStoreTotal = fileStoreTotal;
        this.fileStoreUsable = fileStoreUsable;
        this.diskReadRate = diskReadRate;
        this.diskWriteRate = diskWriteRate;
        this.networkReceivedRate = networkReceivedRate;
        this.networkSentRate = networkSentRate;
        this.openFds = openFds;
        this.maxFds = maxFds;
    }

    /** @return memory used (total minus available), bytes */
    public double memoryUsed() {
        return memoryTotal - memoryAvailable;
    }
}
