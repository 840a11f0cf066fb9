package io.github.perfkit.core.jdbc;

/**
 * Names of the meters and tracker operations of the JDBC wrapper (the {@code MetricNames} of this area). Every
 * meter is tagged {@code datasource=}{@link JdbcConfig#name()}. Constants only; thread-safe.
 */
public final class JdbcMetricNames {

    /** Tracker operation (and so Micrometer timer) of every statement execution; a node of profile trees. */
    public static final String STATEMENT_OPERATION = "jdbc.statement";
    /** Timer: time spent in {@code getConnection}, in seconds. */
    public static final String CONNECTION_ACQUIRE = "perfkit.jdbc.connection.acquire";
    /** Gauge: connections currently open. */
    public static final String CONNECTIONS_OPEN = "perfkit.jdbc.connections.open";
    /** Gauge: most connections open at once. */
    public static final String CONNECTIONS_MAX = "perfkit.jdbc.connections.max";
    /** Counter: N+1 detections (one per request crossing the threshold). */
    public static final String N_PLUS_ONE = "perfkit.jdbc.n.plus.one";
    /** Counter: slow statement executions. */
    public static final String SLOW_STATEMENTS = "perfkit.jdbc.statements.slow";
    /** Counter: bookkeeping failures swallowed by the wrapper. */
    public static final String MONITOR_FAILURES = "perfkit.jdbc.monitor.failures";
    /** Tag key naming the data source. */
    public static final String TAG_DATASOURCE = "datasource";

    private JdbcMetricNames() {}
}
