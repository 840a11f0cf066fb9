package io.github.perfkit.core.internal.jdbc;

import io.github.perfkit.core.jdbc.StatementStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Mutable statistics of one shape; a fixed-size ring of recent durations for the p95. Thread-safe. */
final class ShapeStats {

    private final String shape;
    private final long[] recent = new long[StatementStats.RECENT_WINDOW];
    private List<String> hints;
    private long executions;
    private long errors;
    private long totalNanos;
    private long maxNanos;
    private long slow;
    private double maxShare;
    private long rows;
    private long fetchNanos;

    ShapeStats(String shape, List<String> hints) {
        this.shape = shape;
        this.hints = hints;
    }

    synchronized void executed(long nanos, boolean failed, boolean isSlow) {
        recent[(int) (executions % recent.length)] = nanos;
        executions++;
        totalNanos += nanos;
        if (nanos > maxNanos) {
            maxNanos = nanos;
        }
        if (failed) {
            errors++;
        }
        if (isSlow) {
            slow++;
        }
    }

    synchronized void share(double share) {
        if (share > maxShare) {
            maxShare = Math.min(1.0, share);
        }
    }

    synchronized void fetched(long rowCount, long nanos) {
        rows += rowCount;
        fetchNanos += nanos;
    }

    synchronized void hint(String hint) {
        if (!hints.contains(hint)) {
            List<String> more = new ArrayList<>(hints);
            more.add(hint);
            hints = List.copyOf(more);
        }
    }

    synchronized void reset() {
        executions = 0;
        errors = 0;
        totalNanos = 0;
        maxNanos = 0;
        slow = 0;
        maxShare = 0;
        rows = 0;
        fetchNanos = 0;
    }

    synchronized long totalNanos() {
        return totalNanos;
    }

    synchronized StatementStats snapshot() {
        int n = (int) Math.min(executions, recent.length);
        long p95 = 0;
        if (n > 0) {
            long[] copy = Arrays.copyOf(recent, n);
            Arrays.sort(copy);
            p95 = copy[(95 * n + 99) / 100 - 1]; // nearest rank, in integers
        }
        long mean = executions == 0 ? 0 : totalNanos / executions;
        return new StatementStats(shape, executions, errors, totalNanos, mean, p95, maxNanos, slow, maxShare, rows,
                fetchNanos, hints);
    }
}
