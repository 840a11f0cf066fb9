package io.github.perfkit.core.report;

import io.github.perfkit.core.OperationStats;
import io.github.perfkit.core.Perf;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The per-operation statistics of a hub at one moment, kept to compare later ("before" and "after"
 * a change). Immutable.
 *
 * @param time when it was taken
 * @param label a name for it (e.g. {@code v1.4.2} or {@code before-index})
 * @param operations every operation's statistics at that moment
 */
public record ReportSnapshot(Instant time, String label, List<OperationStats> operations) {

    /** Compact constructor: validates and copies. */
    public ReportSnapshot {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(label, "label");
        operations = List.copyOf(operations);
    }

    /**
     * Takes a snapshot of {@code perf}'s operations now.
     *
     * @param perf the hub
     * @param label a name for the snapshot
     * @return the snapshot
     */
    public static ReportSnapshot capture(Perf perf, String label) {
        Objects.requireNonNull(perf, "perf");
        return new ReportSnapshot(Instant.ofEpochMilli(perf.clock().wallTime()), label, perf.tracker().stats());
    }
}
