package io.github.perfkit.servlet.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the current thread's CPU time and allocated bytes when the JVM supports it, else -1.
 * The platform thread MXBean is probed on the first read, not when the filter is built: looking the platform
 * MXBeans up costs milliseconds of an application's start-up. Thread-safe.
 */
public final class ThreadUsage {

    /** Creates a reader; probes nothing yet. */
    public ThreadUsage() {}

    /** @return the current thread's CPU time in ns, or -1 */
    public long cpuNanos() {
        ThreadMXBean t = Probe.CPU;
        return t != null ? t.getCurrentThreadCpuTime() : -1;
    }

    /** @return the current thread's allocated bytes, or -1 */
    public long allocatedBytes() {
        com.sun.management.ThreadMXBean s = Probe.ALLOCATION;
        return s != null ? s.getCurrentThreadAllocatedBytes() : -1;
    }

    /** The probe, run once when the class initialises (static finals: the JIT folds the null checks). */
    private static final class Probe {
        static final @Nullable ThreadMXBean CPU;
        static final com.sun.management.@Nullable ThreadMXBean ALLOCATION;

        static {
            ThreadMXBean cpu = null;
            com.sun.management.ThreadMXBean allocation = null;
            try {
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                if (threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled()) {
                    cpu = threads;
                }
                if (threads instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported()
                        && s.isThreadAllocatedMemoryEnabled()) {
                    allocation = s;
                }
            } catch (RuntimeException | LinkageError e) {
                Logger log = LoggerFactory.getLogger(ThreadUsage.class);
                log.info("Perfkit: per-request CPU time/allocation not available on this JVM ({})", e.toString());
            }
            CPU = cpu;
            ALLOCATION = allocation;
        }

        private Probe() {}
    }
}
