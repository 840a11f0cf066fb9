package io.github.perfkit.core.jdbc;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthCheck;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.core.health.HealthStatus;
import io.github.perfkit.core.internal.jdbc.JdbcProxies;
import io.github.perfkit.core.internal.jdbc.JdbcRecorder;
import io.github.perfkit.core.internal.jdbc.JdbcStatus;
import io.github.perfkit.core.spi.StatusContributor;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that monitors another one: it times {@code getConnection}, every statement execution
 * ({@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeBatch},
 * {@code executeLargeUpdate}, on plain, prepared and callable statements) and result-set iteration; counts
 * queries in the current request's profile tree (and adds a {@code jdbc.statement} node per execution);
 * groups statements by shape (literals and parameters removed); flags N+1 patterns and slow statements; and
 * tracks connection usage.
 *
 * <pre>{@code
 * DataSource ds = PerfDataSource.wrap(hikari, perf, JdbcConfig.ofDefaults());
 * perf.health().register("db", ((PerfDataSource) ds).healthCheck());
 * }</pre>
 *
 * <p>Monitoring never breaks a JDBC call: exceptions from the wrapped driver propagate unchanged, failures of
 * Perfkit's own bookkeeping are counted ({@link #monitorFailures()}) and logged once. {@link #unwrap(Class)}
 * and {@link #isWrapperFor(Class)} answer for the wrapper first, then for the wrapped objects, on the data
 * source, its connections, statements and result sets alike.
 *
 * <p>Thread-safe (as thread-safe as the wrapped data source; the statistics are concurrent).
 */
public final class PerfDataSource implements DataSource {

    private final DataSource delegate;
    private final JdbcRecorder recorder;

    private PerfDataSource(DataSource delegate, Perf perf, JdbcConfig config) {
        this.delegate = delegate;
        this.recorder = new JdbcRecorder(perf, config);
    }

    /**
     * Wraps {@code dataSource}. Wrapping a {@code PerfDataSource} again returns it unchanged.
     *
     * @param dataSource the data source to monitor
     * @param perf the hub whose tracker, profiler, registry and clock are used
     * @param config the settings
     * @return the monitoring data source
     */
    public static PerfDataSource wrap(DataSource dataSource, Perf perf, JdbcConfig config) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(perf, "perf");
        Objects.requireNonNull(config, "config");
        if (dataSource instanceof PerfDataSource already) {
            return already;
        }
        return new PerfDataSource(dataSource, perf, config);
    }

    /**
     * Wraps {@code dataSource} with the default settings.
     *
     * @param dataSource the data source to monitor
     * @param perf the hub
     * @return the monitoring data source
     */
    public static PerfDataSource wrap(DataSource dataSource, Perf perf) {
        return wrap(dataSource, perf, JdbcConfig.ofDefaults());
    }

    @Override
    public Connection getConnection() throws SQLException {
        return timed(delegate::getConnection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return timed(() -> delegate.getConnection(username, password));
    }

    /**
     * A builder of the wrapped data source's connection builder whose connections are monitored like those of
     * {@link #getConnection()}.
     *
     * @return the builder
     * @throws SQLException if the wrapped data source has no connection builder (as its own method throws)
     */
    @Override
    public ConnectionBuilder createConnectionBuilder() throws SQLException {
        ConnectionBuilder builder = delegate.createConnectionBuilder();
        return new ConnectionBuilder() {
            @Override
            public ConnectionBuilder user(String username) {
                builder.user(username);
                return this;
            }

            @Override
            public ConnectionBuilder password(String password) {
                builder.password(password);
                return this;
            }

            @Override
            public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
                builder.shardingKey(shardingKey);
                return this;
            }

            @Override
            public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
                builder.superShardingKey(superShardingKey);
                return this;
            }

            @Override
            public Connection build() throws SQLException {
                return timed(builder::build);
            }
        };
    }

    private Connection timed(ConnectionSource source) throws SQLException {
        long start = System.nanoTime();
        Connection c;
        try {
            c = source.get();
        } catch (SQLException | RuntimeException | Error e) {
            recorder.connectionFailed(System.nanoTime() - start);
            throw e;
        }
        recorder.connectionAcquired(System.nanoTime() - start);
        return JdbcProxies.connection(c, recorder);
    }

    /** Where {@link #timed} gets a connection from. */
    @FunctionalInterface
    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    // ------------------------------------------------------------------ views

    /**
     * Statistics per statement shape, the most total time first.
     *
     * @param limit the most entries to return
     * @return at most {@code limit} shapes
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public List<StatementStats> statements(int limit) {
        return recorder.statements(nonNegative(limit));
    }

    /**
     * Shapes with at least one execution at or above {@link JdbcConfig#slowThreshold()}, the most total time
     * first, with their mean, p95, share of the request's time and index hints.
     *
     * @param limit the most entries to return
     * @return at most {@code limit} shapes
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public List<StatementStats> slowStatements(int limit) {
        return recorder.slowStatements(nonNegative(limit));
    }

    /**
     * N+1 findings, the most recently seen first; at most {@link JdbcConfig#maxFindings()}.
     *
     * @return the findings
     */
    public List<NPlusOneFinding> nPlusOneFindings() {
        return recorder.findings();
    }

    /**
     * Connection usage: open, max observed, time waited in {@code getConnection}.
     *
     * @return a snapshot
     */
    public ConnectionUsage connections() {
        return recorder.connections();
    }

    /**
     * Failures of Perfkit's own bookkeeping that were swallowed.
     *
     * @return the number of failures
     */
    public long monitorFailures() {
        return recorder.failures();
    }

    /**
     * Zeroes statement statistics and forgets N+1 findings; known shapes still count against
     * {@link JdbcConfig#maxShapes()}, and connection counters are kept.
     */
    public void reset() {
        recorder.reset();
    }

    /**
     * The settings.
     *
     * @return the configuration
     */
    public JdbcConfig config() {
        return recorder.config();
    }

    /**
     * A health check that obtains a connection from the wrapped data source (not counted in the statistics)
     * and validates it with {@link Connection#isValid(int)} within {@link JdbcConfig#healthTimeout()}: UP when
     * valid, DOWN when invalid or when obtaining it fails.
     *
     * @return the check, to register with {@code perf.health()}
     */
    public HealthCheck healthCheck() {
        Duration timeout = recorder.config().healthTimeout();
        int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        return () -> {
            try (Connection c = delegate.getConnection()) {
                if (c.isValid(seconds)) {
                    return HealthResult.up("connection valid");
                }
                return HealthResult.of(HealthStatus.DOWN,
                        "connection not valid within " + seconds + " s");
            }
        };
    }

    /**
     * A status section named {@code jdbc.<name>} with connection usage, the top statements and the N+1
     * findings, to register with {@code perf.register(..)}.
     *
     * @return the contributor
     */
    public StatusContributor statusContributor() {
        return new JdbcStatus(recorder);
    }

    // ------------------------------------------------------------------ DataSource plumbing

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        Objects.requireNonNull(iface, "iface");
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface.isInstance(delegate)) {
            return iface.cast(delegate);
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        Objects.requireNonNull(iface, "iface");
        return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "PerfDataSource[" + recorder.config().name() + " -> " + delegate + "]";
    }

    private static int nonNegative(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        return limit;
    }
}
