package io.github.perfkit.core.profiling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one recording says: where the CPU went, what was allocated where, where threads waited, and
 * what the GC cost. Frames are named {@code package.Class.method}. Every list is sorted largest first
 * and bounded by the analyzer's options. Immutable.
 *
 * @param start time of the first event read
 * @param duration time covered, first to last event
 * @param cpuSamples CPU (execution) samples read
 * @param topFunctions functions by self samples, with their total (inclusive) samples
 * @param hotspots functions whose self share reaches the analyzer's hotspot threshold, with their
 *     hottest call path
 * @param collapsedStacks stacks in the collapsed format of flame graphs ({@code root;…;leaf} to sample
 *     count); stacks beyond the analyzer's cap are counted under {@value #OTHER_STACKS}
 * @param allocationByClass sampled allocation weight by allocated class
 * @param allocationBySite sampled allocation weight by allocating frame
 * @param allocatedBytes total sampled allocation weight
 * @param contention contended monitor entries and parks by monitor (or parked-on) class
 * @param gc garbage collection summary
 */
public record ProfileResult(
        Instant start,
        Duration duration,
        long cpuSamples,
        List<FunctionStat> topFunctions,
        List<Hotspot> hotspots,
        Map<String, Long> collapsedStacks,
        List<AllocationStat> allocationByClass,
        List<AllocationStat> allocationBySite,
        long allocatedBytes,
        List<ContentionStat> contention,
        GcStat gc) {

    /** Key of the collapsed-stack entry that sums the stacks beyond the cap. */
    public static final String OTHER_STACKS = "(other stacks)";

    /** Compact constructor: defensive copies. */
    public ProfileResult {
        topFunctions = List.copyOf(topFunctions);
        hotspots = List.copyOf(hotspots);
        collapsedStacks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(collapsedStacks));
        allocationByClass = List.copyOf(allocationByClass);
        allocationBySite = List.copyOf(allocationBySite);
        contention = List.copyOf(contention);
    }

    /**
     * Sampled allocation per second over the recording.
     *
     * @return bytes per second, 0 when the duration is zero
     */
    public double allocationRateBytesPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds > 0 ? allocatedBytes / seconds : 0;
    }

    /**
     * One function's CPU samples.
     *
     * @param frame {@code package.Class.method}
     * @param selfSamples samples with this function on top of the stack
     * @param totalSamples samples with this function anywhere on the stack
     * @param selfShare self samples over all samples
     * @param totalShare total samples over all samples
     */
    public record FunctionStat(String frame, long selfSamples, long totalSamples, double selfShare, double totalShare) {}

    /**
     * A function that takes a large share of the CPU by itself.
     *
     * @param frame {@code package.Class.method}
     * @param selfShare its self share
     * @param hottestPath its most frequent stack, root first
     * @param pathShare share of all samples taken on that stack
     */
    public record Hotspot(String frame, double selfShare, List<String> hottestPath, double pathShare) {
        /** Compact constructor: defensive copy. */
        public Hotspot {
            hottestPath = List.copyOf(hottestPath);
        }
    }

    /**
     * Sampled allocation of one class or one site.
     *
     * @param name class name or {@code package.Class.method}
     * @param bytes sampled allocation weight in bytes
     * @param samples allocation samples
     * @param share bytes over all sampled bytes
     */
    public record AllocationStat(String name, long bytes, long samples, double share) {}

    /**
     * Waiting on one monitor class.
     *
     * @param monitorClass class of the contended monitor, or of the object parked on
     * @param kind {@code monitor} (contended {@code synchronized}) or {@code park} ({@code java.util.concurrent} locks)
     * @param events events above the lock threshold
     * @param totalWait summed wait
     * @param topWaitingFrame the first frame outside the JDK where threads waited most
     * @param topOwnerThread the thread that most often held the monitor, when JFR recorded it
     */
    public record ContentionStat(
            String monitorClass, String kind, long events, Duration totalWait, String topWaitingFrame,
            String topOwnerThread) {}

    /**
     * Garbage collection during the recording.
     *
     * @param collections collections
     * @param totalPause summed pauses
     * @param longestPause longest single pause
     */
    public record GcStat(long collections, Duration totalPause, Duration longestPause) {}
}
