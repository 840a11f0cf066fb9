package io.github.perfkit.core.jdbc;

import java.util.List;

/**
 * Statistics of one statement shape since the data source was wrapped (or since its last reset). Immutable.
 *
 * @param shape the normalised statement (literals and parameters replaced by {@code ?})
 * @param executions number of executions (a batch counts once)
 * @param errors executions that threw
 * @param totalNanos total execution time
 * @param meanNanos mean execution time
 * @param p95Nanos 95th percentile of the most recent executions (at most {@value #RECENT_WINDOW})
 * @param maxNanos longest execution
 * @param slowExecutions executions at or above the slow threshold
 * @param maxRequestShare the largest share (0 to 1) of a request's elapsed time, at the end of a slow execution,
 *     spent in this shape within that request; 0 when it never ran slow inside a request
 * @param rows rows read from its result sets
 * @param fetchNanos time spent iterating its result sets
 * @param indexHints why the shape may defeat an index; empty when nothing was spotted
 */
public record StatementStats(
        String shape,
        long executions,
        long errors,
        long totalNanos,
        long meanNanos,
        long p95Nanos,
        long maxNanos,
        long slowExecutions,
        double maxRequestShare,
        long rows,
        long fetchNanos,
        List<String> indexHints) {

    /** Number of most recent executions the {@link #p95Nanos()} is computed over. */
    public static final int RECENT_WINDOW = 128;

    /** Compact constructor: defensive copy. */
    public StatementStats {
        indexHints = List.copyOf(indexHints);
    }
}
