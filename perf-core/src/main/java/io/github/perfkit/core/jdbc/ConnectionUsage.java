package io.github.perfkit.core.jdbc;

/**
 * Connection usage of a {@link PerfDataSource}. Immutable snapshot.
 *
 * @param open connections obtained and not yet closed
 * @param maxOpen the most connections open at once
 * @param acquired connections obtained successfully
 * @param failed {@code getConnection} calls that threw
 * @param totalWaitNanos total time spent in {@code getConnection}
 * @param maxWaitNanos longest {@code getConnection} call
 */
public record ConnectionUsage(long open, long maxOpen, long acquired, long failed, long totalWaitNanos,
        long maxWaitNanos) {

    /**
     * Mean time spent in {@code getConnection}.
     *
     * @return mean wait in nanoseconds, 0 before the first connection
     */
    public long meanWaitNanos() {
        long calls = acquired + failed;
        return calls == 0 ? 0 : totalWaitNanos / calls;
    }
}
