package io.github.perfkit.servlet.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the current thread's CPU time and allocated bytes when the JVM supports it, else -1.
 * Thread-safe.
 */
public final class ThreadUsage {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadUsage.class);

    private final ThreadMXBean threads;
    private final com.sun.management.@org.jspecify.annotations.Nullable ThreadMXBean sunThreads;
    private final boolean cpu;
    private final boolean allocation;

    /** Probes the platform thread MXBean once. */
    public ThreadUsage() {
        this.threads = ManagementFactory.getThreadMXBean();
        boolean cpuOk = false;
        boolean allocOk = false;
        com.sun.management.ThreadMXBean sun = null;
        try {
            cpuOk = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
            if (threads instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported()
                    && s.isThreadAllocatedMemoryEnabled()) {
                sun = s;
                allocOk = true;
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.info("Perfkit: per-request CPU time/allocation not available on this JVM ({})", e.toString());
        }
        this.cpu = cpuOk;
        this.allocation = allocOk;
        this.sunThreads = sun;
    }

    /** @return whether thread CPU time can be read */
    public boolean cpuSupported() {
        return cpu;
    }

    /** @return whether thread allocation can be read */
    public boolean allocationSupported() {
        return allocation;
    }

    /** @return the current thread's CPU time in ns, or -1 */
    public long cpuNanos() {
        return cpu ? threads.getCurrentThreadCpuTime() : -1;
    }

    /** @return the current thread's allocated bytes, or -1 */
    public long allocatedBytes() {
        com.sun.management.ThreadMXBean s = sunThreads;
        return s != null ? s.getCurrentThreadAllocatedBytes() : -1;
    }
}
