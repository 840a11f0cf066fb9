package io.github.perfkit.core.profiling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a profile differs from a baseline: the functions whose self share rose or fell by more than a
 * threshold, the hotspots that are new, and the change of sample count and allocation rate.
 * Immutable.
 *
 * <pre>{@code
 * ProfileComparison diff = ProfileComparison.of(baseline, current, 0.05);
 * diff.risen().forEach(c -> log.warn("{} rose from {} to {}", c.frame(), c.before(), c.after()));
 * }</pre>
 *
 * @param threshold the smallest change of self share reported (absolute, 0.05 = five points)
 * @param risen functions whose self share rose by at least the threshold, largest rise first
 * @param fallen functions whose self share fell by at least the threshold, largest fall first
 * @param newHotspots hotspots of the current profile that were not hotspots of the baseline
 * @param cpuSamplesDelta current minus baseline CPU samples
 * @param allocationRateDelta current minus baseline allocation rate, bytes per second
 */
public record ProfileComparison(
        double threshold,
        List<Change> risen,
        List<Change> fallen,
        List<String> newHotspots,
        long cpuSamplesDelta,
        double allocationRateDelta) {

    /** Compact constructor: defensive copies. */
    public ProfileComparison {
        risen = List.copyOf(risen);
        fallen = List.copyOf(fallen);
        newHotspots = List.copyOf(newHotspots);
    }

    /**
     * Compares {@code current} with {@code baseline}.
     *
     * @param baseline the reference profile
     * @param current the profile to judge
     * @param threshold smallest change of self share reported, in (0, 1)
     * @return the comparison
     * @throws IllegalArgumentException if the threshold is not in (0, 1)
     */
    public static ProfileComparison of(ProfileResult baseline, ProfileResult current, double threshold) {
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(current, "current");
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), was " + threshold);
        }
        Map<String, Double> before = shares(baseline);
        Map<String, Double> after = shares(current);
        Set<String> frames = new HashSet<>(before.keySet());
        frames.addAll(after.keySet());
        List<Change> risen = new ArrayList<>();
        List<Change> fallen = new ArrayList<>();
        for (String frame : frames) {
            double b = before.getOrDefault(frame, 0.0);
            double a = after.getOrDefault(frame, 0.0);
            if (a - b >= threshold) {
                risen.add(new Change(frame, b, a));
            } else if (b - a >= threshold) {
                fallen.add(new Change(frame, b, a));
            }
        }
        risen.sort(Comparator.comparingDouble((Change c) -> c.after() - c.before()).reversed());
        fallen.sort(Comparator.comparingDouble((Change c) -> c.before() - c.after()).reversed());
        Set<String> oldHotspots = new HashSet<>();
        baseline.hotspots().forEach(h -> oldHotspots.add(h.frame()));
        List<String> newHotspots = current.hotspots().stream()
                .map(ProfileResult.Hotspot::frame)
                .filter(f -> !oldHotspots.contains(f))
                .toList();
        return new ProfileComparison(threshold, risen, fallen, newHotspots,
                current.cpuSamples() - baseline.cpuSamples(),
                current.allocationRateBytesPerSecond() - baseline.allocationRateBytesPerSecond());
    }

    /**
     * Whether anything changed beyond the threshold.
     *
     * @return {@code true} when a function rose or fell, or a hotspot is new
     */
    public boolean hasChanges() {
        return !risen.isEmpty() || !fallen.isEmpty() || !newHotspots.isEmpty();
    }

    private static Map<String, Double> shares(ProfileResult r) {
        Map<String, Double> m = new HashMap<>();
        r.topFunctions().forEach(f -> m.put(f.frame(), f.selfShare()));
        return m;
    }

    /**
     * One function's self share before and after.
     *
     * @param frame {@code package.Class.method}
     * @param before self share in the baseline (0 when absent)
     * @param after self share now (0 when absent)
     */
    public record Change(String frame, double before, double after) {}
}
