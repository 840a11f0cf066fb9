package io.github.perfkit.core.diagnostics;

import io.github.perfkit.core.internal.diagnostics.Histograms;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Objects;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Heap class histograms through the {@code com.sun.management:type=DiagnosticCommand} MBean (the same as
 * {@code jcmd <pid> GC.class_histogram}), and their diff to find leak suspects.
 *
 * <pre>{@code
 * HeapDiagnostics heap = HeapDiagnostics.ofDefaults();
 * HeapHistogram before = heap.histogram();
 * // ... later
 * HistogramDiff diff = HeapDiagnostics.diff(before, heap.histogram(), 20);
 * }</pre>
 *
 * <p>Taking a histogram runs a full GC first (so only live objects count) and pauses the application for the
 * duration of a heap walk: call it on demand, not on a schedule. Everything is bounded (classes kept, suspects
 * returned). Thread-safe.
 */
public final class HeapDiagnostics {

    /** Default cap on classes kept per histogram. */
    public static final int DEFAULT_MAX_CLASSES = 2_000;

    private static final String MBEAN = "com.sun.management:type=DiagnosticCommand";

    private final MBeanServer server;
    private final Clock clock;

    private HeapDiagnostics(MBeanServer server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    /**
     * Heap diagnostics of this JVM.
     *
     * @return diagnostics over the platform MBean server
     */
    public static HeapDiagnostics ofDefaults() {
        return new HeapDiagnostics(ManagementFactory.getPlatformMBeanServer(), Clock.systemUTC());
    }

    /**
     * Heap diagnostics over a given clock (the MBean server is the platform one).
     *
     * @param clock stamps histograms
     * @return the diagnostics
     */
    public static HeapDiagnostics of(Clock clock) {
        return new HeapDiagnostics(ManagementFactory.getPlatformMBeanServer(), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * A histogram of live objects keeping the {@link #DEFAULT_MAX_CLASSES} classes with the most bytes.
     *
     * @return the histogram
     * @throws UnsupportedOperationException if the JVM has no DiagnosticCommand MBean or it fails
     */
    public HeapHistogram histogram() {
        return histogram(DEFAULT_MAX_CLASSES);
    }

    /**
     * A histogram of live objects keeping the {@code maxClasses} classes with the most bytes.
     *
     * @param maxClasses classes kept, at least 1
     * @return the histogram
     * @throws IllegalArgumentException if {@code maxClasses} is below 1
     * @throws UnsupportedOperationException if the JVM has no DiagnosticCommand MBean or it fails
     */
    public HeapHistogram histogram(int maxClasses) {
        if (maxClasses < 1) {
            throw new IllegalArgumentException("maxClasses must be at least 1, was " + maxClasses);
        }
        String text;
        try {
            text = (String) server.invoke(new ObjectName(MBEAN), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException | ClassCastException e) {
            UnsupportedOperationException u = new UnsupportedOperationException(
                    "heap class histogram unavailable: " + MBEAN + " gcClassHistogram failed: " + e);
            u.initCause(e);
            throw u;
        }
        return Histograms.parse(text, clock.instant(), maxClasses);
    }

    /**
     * Parses the text of {@code jcmd <pid> GC.class_histogram} (e.g. an uploaded one).
     *
     * @param text the histogram text
     * @param maxClasses classes kept, at least 1
     * @return the histogram, stamped now
     * @throws IllegalArgumentException if {@code maxClasses} is below 1
     */
    public HeapHistogram parse(String text, int maxClasses) {
        Objects.requireNonNull(text, "text");
        if (maxClasses < 1) {
            throw new IllegalArgumentException("maxClasses must be at least 1, was " + maxClasses);
        }
        return Histograms.parse(text, clock.instant(), maxClasses);
    }

    /**
     * Compares two histograms: the classes whose bytes grew most are the leak suspects. A class missing from
     * one side (not kept, or not present) counts as 0 there.
     *
     * @param before the earlier histogram
     * @param after the later histogram
     * @param top the most suspects to return
     * @return the diff
     * @throws IllegalArgumentException if {@code top} is negative
     */
    public static HistogramDiff diff(HeapHistogram before, HeapHistogram after, int top) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (top < 0) {
            throw new IllegalArgumentException("top must not be negative, was " + top);
        }
        return Histograms.diff(before, after, top);
    }
}
