package io.github.perfkit.core.internal.metrics;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the JVM's management beans into an immutable {@link JvmSnapshot}. The memory pools are fixed at
 * construction. Not thread-safe by itself: {@link #sample(JvmSnapshot)} is called under the owner's lock.
 */
public final class JvmSampler {

    private static final Logger LOG = LoggerFactory.getLogger(JvmSampler.class);
    private static final int STATES = Thread.State.values().length;

    private final FailureLog failures = new FailureLog(LOG);
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<MemoryPoolMXBean> pools;
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    private final java.lang.management.@Nullable OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final @Nullable MemoryPoolMXBean youngPool;
    private final @Nullable MemoryPoolMXBean oldPool;
    private final GcListener gcListener;
    private final int processors = Runtime.getRuntime().availableProcessors();

    private long prevNanos;
    private long prevGcMillis = -1;
    private long prevCpuNanos = -1;
    private double prevAllocated = -1;

    /**
     * @param gcPauseTimerName name of the GC pause timer the listener registers
     */
    public JvmSampler(String gcPauseTimerName) {
        this.pools = List.copyOf(ManagementFactory.getMemoryPoolMXBeans());
        MemoryPoolMXBean young = null;
        MemoryPoolMXBean old = null;
        List<MemoryPoolMXBean> heapPools = new ArrayList<>();
        for (MemoryPoolMXBean p : pools) {
            if (p.getType() != MemoryType.HEAP) {
                continue;
            }
            heapPools.add(p);
            String n = p.getName().toLowerCase(Locale.ROOT);
            if (young == null && (n.contains("eden") || n.contains("nursery") || n.contains("young"))) {
                young = p;
            }
            if (old == null && (n.contains("old") || n.contains("tenured"))) {
                old = p;
            }
        }
        // Single-generation collectors (ZGC before 21, Shenandoah, Epsilon): the one heap pool is both.
        if (heapPools.size() == 1) {
            young = young == null ? heapPools.get(0) : young;
            old = old == null ? heapPools.get(0) : old;
        }
        this.youngPool = young;
        this.oldPool = old;
        this.gcListener = new GcListener(gcPauseTimerName, young == null ? null : young.getName());
    }

    /** @return the GC notification listener (installed by the owner) */
    public GcListener gcListener() {
        return gcListener;
    }

    /** @return names of the memory pools, in snapshot index order */
    public List<String> poolNames() {
        List<String> n = new ArrayList<>(pools.size());
        for (MemoryPoolMXBean p : pools) {
            n.add(p.getName());
        }
        return n;
    }

    /** @return for each pool, {@code heap} or {@code nonheap} */
    public List<String> poolAreas() {
        List<String> n = new ArrayList<>(pools.size());
        for (MemoryPoolMXBean p : pools) {
            n.add(p.getType() == MemoryType.HEAP ? "heap" : "nonheap");
        }
        return n;
    }

    /** @return number of failed reads so far */
    public long failures() {
        return failures.failures();
    }

    /** @return an all-NaN snapshot shaped like this JVM */
    public JvmSnapshot empty() {
        return new JvmSnapshot(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, nan(pools.size()),
                nan(pools.size()), nan(pools.size()), Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, nan(STATES), Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN);
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private static double max(long m) {
        return m < 0 ? Double.NaN : m;
    }

    /**
     * Reads everything once; a part that fails keeps its previous value.
     *
     * @param p the previous snapshot
     * @return the new snapshot
     */
    public JvmSnapshot sample(JvmSnapshot p) {
        long now = System.nanoTime();
        double seconds = prevNanos == 0 ? 0 : (now - prevNanos) / 1e9;
        prevNanos = now;

        double heapUsed = p.heapUsed;
        double heapCommitted = p.heapCommitted;
        double heapMax = p.heapMax;
        double nonHeapUsed = p.nonHeapUsed;
        double nonHeapCommitted = p.nonHeapCommitted;
        try {
            MemoryUsage h = memory.getHeapMemoryUsage();
            heapUsed = h.getUsed();
            heapCommitted = h.getCommitted();
            heapMax = max(h.getMax());
            MemoryUsage nh = memory.getNonHeapMemoryUsage();
            nonHeapUsed = nh.getUsed();
            nonHeapCommitted = nh.getCommitted();
        } catch (RuntimeException e) {
            failures.failed("memory", e);
        }

        double[] used = p.poolUsed.clone();
        double[] committed = p.poolCommitted.clone();
        double[] maxes = p.poolMax.clone();
        for (int i = 0; i < pools.size(); i++) {
            try {
                MemoryUsage u = pools.get(i).getUsage();
                if (u != null) {
                    used[i] = u.getUsed();
                    committed[i] = u.getCommitted();
                    maxes[i] = max(u.getMax());
                }
            } catch (RuntimeException e) {
                failures.failed("memory-pool", e);
            }
        }

        double afterGc = p.heapAfterGc;
        if (oldPool != null) {
            try {
                MemoryUsage u = oldPool.getCollectionUsage();
                if (u != null) {
                    afterGc = u.getUsed();
                }
            } catch (RuntimeException e) {
                failures.failed("memory-after-gc", e);
            }
        }

        double pressure = p.gcPressure;
        try {
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : collectors) {
                long t = gc.getCollectionTime();
                if (t > 0) {
                    gcMillis += t;
                }
            }
            if (prevGcMillis >= 0 && seconds > 0) {
                pressure = Math.max(0.0, Math.min(1.0, (gcMillis - prevGcMillis) / (seconds * 1000.0)));
            }
            prevGcMillis = gcMillis;
        } catch (RuntimeException e) {
            failures.failed("gc-time", e);
        }

        // Allocation = young-gen growth accounted at each GC (exact, from notifications) plus the young pool's
        // growth since the last GC (so the rate moves between collections instead of jumping at each GC).
        // Chosen over summing ThreadMXBean.getThreadAllocatedBytes: that walks every live thread each tick and
        // forgets the allocation of threads that ended; this costs one pool read.
        double allocated = p.allocated;
        double allocationRate = p.allocationRate;
        if (youngPool != null) {
            try {
                long sinceGc = 0;
                long base;
                long young = youngPool.getUsage().getUsed();
                synchronized (gcListener) {
                    base = gcListener.allocatedAtGcs();
                    sinceGc = young - gcListener.youngAfterLastGc();
                }
                double estimate = base + Math.max(0, sinceGc);
                allocated = Math.max(allocated, estimate);
                if (prevAllocated >= 0 && seconds > 0) {
                    allocationRate = (allocated - prevAllocated) / seconds;
                }
                prevAllocated = allocated;
            } catch (RuntimeException e) {
                failures.failed("allocation", e);
            }
        }

        double live = p.threadsLive;
        double daemon = p.threadsDaemon;
        double peak = p.threadsPeak;
        double[] states = p.threadStates;
        double deadlocked = p.deadlocked;
        try {
            live = threads.getThreadCount();
            daemon = threads.getDaemonThreadCount();
            peak = threads.getPeakThreadCount();
            double[] s = new double[STATES];
            for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
                if (ti != null) {
                    s[ti.getThreadState().ordinal()]++;
                }
            }
            states = s;
            long[] dl = threads.findDeadlockedThreads();
            deadlocked = dl == null ? 0 : dl.length;
        } catch (RuntimeException e) {
            failures.failed("threads", e);
        }

        double loaded = p.classesLoaded;
        double unloaded = p.classesUnloaded;
        double uptime = p.uptimeMillis;
        try {
            loaded = classes.getLoadedClassCount();
            unloaded = classes.getUnloadedClassCount();
            uptime = runtime.getUptime();
        } catch (RuntimeException e) {
            failures.failed("classes", e);
        }

        double cpu = p.cpuUsage;
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            try {
                long cpuNanos = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
                if (cpuNanos >= 0) {
                    if (prevCpuNanos >= 0 && seconds > 0) {
                        cpu = Math.max(0.0, Math.min(1.0, (cpuNanos - prevCpuNanos) / (seconds * 1e9 * processors)));
                    }
                    prevCpuNanos = cpuNanos;
                }
            } catch (RuntimeException e) {
                failures.failed("process-cpu", e);
            }
        }
        return new JvmSnapshot(heapUsed, heapCommitted, heapMax, nonHeapUsed, nonHeapCommitted, used, committed,
                maxes, afterGc, pressure, allocated, allocationRate, live, daemon, peak, states, deadlocked, loaded,
                unloaded, uptime, cpu);
    }
}
