package io.github.perfkit.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.ProfileNode;
import io.github.perfkit.core.ProfileTree;
import io.github.perfkit.core.Scope;
import io.github.perfkit.core.TrackerConfig;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.core.health.HealthStatus;
import io.github.perfkit.core.internal.jdbc.SqlShapes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbc.JdbcSQLSyntaxErrorException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wrapper against a real in-memory H2 database. */
class PerfDataSourceTest {

    private static final int CUSTOMERS = 20;
    private static JdbcDataSource h2;
    private static Connection keepAlive;

    private Perf perf;
    private PerfDataSource ds;

    @BeforeAll
    static void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:perfkit-jdbc;DB_CLOSE_DELAY=-1");
        keepAlive = h2.getConnection();
        try (Statement s = keepAlive.createStatement()) {
            s.execute("create table customers (id int primary key, name varchar(64))");
            s.execute("create table orders (id int primary key, customer_id int, total int)");
            s.execute("create alias pk_sleep for '" + H2Functions.class.getName() + ".sleep'");
            for (int c = 1; c <= CUSTOMERS; c++) {
                s.execute("insert into customers values (" + c + ", 'customer" + c + "')");
                s.execute("insert into orders values (" + (2 * c) + ", " + c + ", 10)");
                s.execute("insert into orders values (" + (2 * c + 1) + ", " + c + ", 20)");
            }
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("drop all objects");
        }
        keepAlive.close();
    }

    @BeforeEach
    void wrap() {
        perf = Perf.builder().registry(new SimpleMeterRegistry()).autoTick(false).systemMetrics(false)
                .jvmMetrics(false).tracker(TrackerConfig.builder().samplingRate(1.0).build()).build();
        ds = PerfDataSource.wrap(h2, perf, JdbcConfig.builder().name("shop").slowThreshold(Duration.ofMillis(50))
                .build());
    }

    @AfterEach
    void close() {
        perf.close();
    }

    @Test
    void nPlusOneLoopIsFoundWithItsCallSiteAndEndpoint() throws SQLException {
        try (Scope request = perf.profiler().request("GET /customers");
                Connection c = ds.getConnection();
                Statement all = c.createStatement();
                ResultSet customers = all.executeQuery("select id from customers order by id");
                PreparedStatement orders = c.prepareStatement("select total from orders where customer_id = ?")) {
            while (customers.next()) {
                orders.setInt(1, customers.getInt(1));
                try (ResultSet rs = orders.executeQuery()) {
                    while (rs.next()) {
                        rs.getInt(1);
                    }
                }
            }
        }

        assertThat(ds.nPlusOneFindings()).singleElement().satisfies(f -> {
            assertThat(f.shape()).isEqualTo("select total from orders where customer_id = ?");
            assertThat(f.endpoint()).isEqualTo("GET /customers");
            assertThat(f.callSite()).startsWith(getClass().getName() + ".nPlusOneLoopIsFoundWithItsCallSiteAndEndpoint(");
            assertThat(f.maxPerRequest()).isEqualTo(CUSTOMERS);
            assertThat(f.lastPerRequest()).isEqualTo(CUSTOMERS);
            assertThat(f.requests()).isEqualTo(1);
            assertThat(f.recommendation()).startsWith(f.callSite()).contains(f.shape()).contains("20 times")
                    .contains("GET /customers");
        });
        // The hub's findings carry it too, for listeners (alerts) and the dashboard.
        assertThat(perf.diagnosis().active()).singleElement().satisfies(f -> {
            assertThat(f.category()).isEqualTo(io.github.perfkit.core.findings.FindingCategory.N_PLUS_ONE);
            assertThat(f.culprit()).isEqualTo(getClass().getName() + ".nPlusOneLoopIsFoundWithItsCallSiteAndEndpoint");
            assertThat(f.subject()).isEqualTo("select total from orders where customer_id = ?");
            assertThat(f.evidence()).containsEntry("endpoint", "GET /customers");
        });
        StatementStats orders = shape("select total from orders where customer_id = ?");
        assertThat(orders.executions()).isEqualTo(CUSTOMERS);
        assertThat(orders.rows()).isEqualTo(2L * CUSTOMERS);
        assertThat(orders.fetchNanos()).isPositive();
        assertThat(perf.registry().get(JdbcMetricNames.N_PLUS_ONE).counter().count()).isEqualTo(1.0);
    }

    @Test
    void batchedFixHasNoFinding() throws SQLException {
        try (Scope request = perf.profiler().request("GET /customers");
                Connection c = ds.getConnection();
                Statement all = c.createStatement();
                ResultSet customers = all.executeQuery("select id from customers order by id")) {
            List<Integer> ids = new ArrayList<>();
            while (customers.next()) {
                ids.add(customers.getInt(1));
            }
            String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
            try (PreparedStatement orders = c.prepareStatement(
                    "select customer_id, total from orders where customer_id in (" + marks + ")")) {
                for (int i = 0; i < ids.size(); i++) {
                    orders.setInt(i + 1, ids.get(i));
                }
                int rows = 0;
                try (ResultSet rs = orders.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                assertThat(rows).isEqualTo(2 * CUSTOMERS);
            }
        }
        assertThat(ds.nPlusOneFindings()).isEmpty();
        assertThat(shape("select customer_id, total from orders where customer_id in (?)").executions()).isEqualTo(1);
    }

    @Test
    void countsArePerRequestEvenForConsecutiveRequestsOfTheSameName() throws SQLException {
        for (int r = 0; r < 3; r++) {
            try (Scope request = perf.profiler().request("GET /customers/{id}");
                    Connection c = ds.getConnection();
                    PreparedStatement p = c.prepareStatement("select name from customers where id = ?")) {
                for (int i = 1; i <= 8; i++) { // 3 x 8 = 24 in total, but at most 8 per request
                    p.setInt(1, i);
                    p.executeQuery().close();
                }
            }
        }
        assertThat(ds.nPlusOneFindings()).isEmpty();
        assertThat(shape("select name from customers where id = ?").executions()).isEqualTo(24);
    }

    @Test
    void concurrentRequestsAreCountedSeparately() throws Exception {
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int perRequest = t % 2 == 0 ? 8 : 12; // two threads stay under the threshold, two go over
                done.add(pool.submit(() -> {
                    together.await();
                    try (Scope request = perf.profiler().request("GET /concurrent");
                            Connection c = ds.getConnection();
                            PreparedStatement p = c.prepareStatement("select name from customers where id = ?")) {
                        for (int i = 1; i <= perRequest; i++) {
                            p.setInt(1, i);
                            p.executeQuery().close();
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ds.nPlusOneFindings()).singleElement().satisfies(f -> {
            assertThat(f.requests()).isEqualTo(2);
            assertThat(f.maxPerRequest()).isEqualTo(12);
            assertThat(f.endpoint()).isEqualTo("GET /concurrent");
            assertThat(f.callSite()).contains("PerfDataSourceTest.lambda$concurrentRequestsAreCountedSeparately");
        });
        assertThat(shape("select name from customers where id = ?").executions()).isEqualTo(40);
        assertThat(ds.connections().maxOpen()).isBetween(1L, 4L);
    }

    @Test
    void outsideARequestThereIsNoFinding() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(
                "select name from customers where id = ?")) {
            for (int i = 1; i <= CUSTOMERS; i++) {
                p.setInt(1, i);
                p.executeQuery().close();
            }
        }
        assertThat(ds.nPlusOneFindings()).isEmpty();
    }

    @Test
    void queryCountsAndDatabaseTimeAppearInTheProfileTree() throws SQLException {
        try (Scope request = perf.profiler().request("GET /report")) {
            try (Scope service = perf.tracker().start("report.load"); Connection c = ds.getConnection();
                    Statement s = c.createStatement()) {
                s.executeQuery("select count(*) from customers").close();
                s.executeQuery("select count(*) from orders").close();
                s.executeUpdate("update customers set name = name where id = 1");
            }
        }
        ProfileTree tree = perf.profiler().recent().get(0);
        assertThat(tree.name()).isEqualTo("GET /report");
        ProfileNode load = tree.root().children().get(0);
        assertThat(load.name()).isEqualTo("report.load");
        assertThat(load.queryCount()).isEqualTo(3);
        assertThat(load.children()).hasSize(3).allSatisfy(n -> {
            assertThat(n.name()).isEqualTo(JdbcMetricNames.STATEMENT_OPERATION);
            assertThat(n.finished()).isTrue();
            assertThat(n.durationNanos()).isPositive();
        });
        assertThat(load.children()).extracting(n -> n.tags().get("sql")).containsExactly(
                "select count(*) from customers", "select count(*) from orders",
                "update customers set name = name where id = ?");
        long dbNanos = load.children().stream().mapToLong(ProfileNode::durationNanos).sum();
        assertThat(dbNanos).isLessThanOrEqualTo(load.durationNanos());
        assertThat(perf.tracker().stats(JdbcMetricNames.STATEMENT_OPERATION, JdbcMetricNames.TAG_DATASOURCE, "shop"))
                .hasValueSatisfying(st -> assertThat(st.total().count()).isEqualTo(3));
    }

    @Test
    void withoutStatementProfilingQueriesAreCountedButAddNoNodes() throws SQLException {
        PerfDataSource quiet = PerfDataSource.wrap(h2, perf, JdbcConfig.builder().name("quiet")
                .profileStatements(false).build());
        try (Scope request = perf.profiler().request("GET /quiet")) {
            try (Connection c = quiet.getConnection(); Statement s = c.createStatement()) {
                s.executeQuery("select count(*) from customers").close();
                s.executeQuery("select count(*) from orders").close();
            }
        }
        ProfileNode root = perf.profiler().recent().get(0).root();
        assertThat(root.queryCount()).isEqualTo(2);
        assertThat(root.children()).isEmpty();
        assertThat(perf.tracker().stats(JdbcMetricNames.STATEMENT_OPERATION, JdbcMetricNames.TAG_DATASOURCE, "quiet"))
                .hasValueSatisfying(st -> assertThat(st.total().count()).isEqualTo(2));
    }

    @Test
    void slowStatementIsReportedWithMeanP95AndShareOfTheRequest() throws SQLException {
        try (Scope request = perf.profiler().request("GET /slow"); Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.executeQuery("select pk_sleep(120)").close();
            s.executeQuery("select count(*) from customers").close();
        }
        List<StatementStats> slow = ds.slowStatements(10);
        assertThat(slow).singleElement().satisfies(st -> {
            assertThat(st.shape()).isEqualTo("select pk_sleep(?)");
            assertThat(st.slowExecutions()).isEqualTo(1);
            assertThat(st.meanNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(120));
            assertThat(st.p95Nanos()).isEqualTo(st.maxNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(120));
            // the request did little else: the statement is most of it (loose bound for a loaded machine)
            assertThat(st.maxRequestShare()).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        });
        assertThat(perf.registry().get(JdbcMetricNames.SLOW_STATEMENTS).counter().count()).isEqualTo(1.0);
    }

    @Test
    void aSlowStatementBecomesASlowSqlFindingNamingTheMethodThatRanIt() throws SQLException {
        runSlowQuery();
        runSlowQuery();
        assertThat(perf.diagnosis().active()).as("two slow executions are logged, not yet a finding")
                .noneMatch(f -> f.category() == io.github.perfkit.core.findings.FindingCategory.SLOW_SQL);
        runSlowQuery();
        List<io.github.perfkit.core.findings.Finding> found = perf.diagnosis().active().stream()
                .filter(f -> f.category() == io.github.perfkit.core.findings.FindingCategory.SLOW_SQL).toList();
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("select pk_sleep(?)");
            assertThat(f.culprit()).endsWith("PerfDataSourceTest.runSlowQuery");
            assertThat((long) f.evidence().get("lastMillis")).isGreaterThanOrEqualTo(120);
            assertThat((long) f.evidence().get("thresholdMillis")).isEqualTo(50);
            assertThat(f.recommendation()).contains("EXPLAIN");
        });
    }

    private void runSlowQuery() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("select pk_sleep(120)").close();
        }
    }

    @Test
    void p95IsOverTheRecentExecutions() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("select pk_sleep(?)")) {
            // warm up H2's function alias (its first call is slow), then measure from a clean slate
            for (int i = 0; i < 5; i++) {
                p.setInt(1, 0);
                p.executeQuery().close();
            }
            ds.reset();
            assertThat(ds.statements(10)).isEmpty();
            for (int i = 0; i < 20; i++) {
                p.setInt(1, i == 19 ? 150 : 0);
                p.executeQuery().close();
            }
        }
        StatementStats st = shape("select pk_sleep(?)");
        assertThat(st.executions()).isEqualTo(20);
        // with 20 samples the 95th percentile is the 19th smallest: one of the fast ones
        assertThat(st.p95Nanos()).isLessThan(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(st.maxNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(st.slowExecutions()).isEqualTo(1);
        assertThat(st.maxRequestShare()).isZero();
    }

    @Test
    void shapesThatDefeatAnIndexCarryHints() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                PreparedStatement like = c.prepareStatement("select id from customers where name like ?")) {
            s.executeQuery("select id from customers where upper(name) = 'CUSTOMER1'").close();
            like.setString(1, "customer%");
            like.executeQuery().close();
            assertThat(shape("select id from customers where name like ?").indexHints()).isEmpty();
            like.setString(1, "%1");
            like.executeQuery().close();
        }
        assertThat(shape("select id from customers where upper(name) = ?").indexHints()).singleElement()
                .asString().contains("upper(name)");
        assertThat(shape("select id from customers where name like ?").indexHints())
                .containsExactly(SqlShapes.HINT_LEADING_WILDCARD);
    }

    @Test
    void driverExceptionsPropagateUnchangedAndAreCounted() throws SQLException {
        SQLException raw;
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            raw = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> s.executeQuery("select nope from customers"));
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("select nope from customers"))
                    .isExactlyInstanceOf(raw.getClass()).isInstanceOf(JdbcSQLSyntaxErrorException.class)
                    .hasMessage(raw.getMessage());
            assertThatThrownBy(() -> c.prepareStatement("selec broken"))
                    .isInstanceOf(JdbcSQLSyntaxErrorException.class);
        }
        assertThat(shape("select nope from customers").errors()).isEqualTo(1);
        assertThat(ds.monitorFailures()).isZero();
    }

    @Test
    void wrappersPreserveUnwrapAndIsWrapperFor() throws SQLException {
        assertThat(ds.isWrapperFor(JdbcDataSource.class)).isTrue();
        assertThat(ds.unwrap(JdbcDataSource.class)).isSameAs(h2);
        assertThat(ds.unwrap(PerfDataSource.class)).isSameAs(ds);
        assertThat(ds.unwrap(DataSource.class)).isSameAs(ds);
        assertThat(PerfDataSource.wrap(ds, perf)).isSameAs(ds);
        try (Connection c = ds.getConnection()) {
            assertThat(c.isWrapperFor(Connection.class)).isTrue();
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
            assertThat(c.isWrapperFor(JdbcConnection.class)).isTrue();
            assertThat(c.unwrap(JdbcConnection.class)).isInstanceOf(JdbcConnection.class);
            assertThat(c.isWrapperFor(String.class)).isFalse();
            assertThatThrownBy(() -> c.unwrap(String.class)).isInstanceOf(SQLException.class);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                assertThat(s.getConnection()).isSameAs(c);
                assertThat(rs.getStatement()).isSameAs(s);
                assertThat(s.unwrap(org.h2.jdbc.JdbcStatement.class)).isInstanceOf(org.h2.jdbc.JdbcStatement.class);
            }
            try (PreparedStatement p = c.prepareStatement("select 1")) {
                assertThat(p.isWrapperFor(PreparedStatement.class)).isTrue();
                assertThat(p.getConnection()).isSameAs(c);
            }
            try (CallableStatement call = c.prepareCall("call pk_sleep(1)")) {
                call.execute();
                assertThat(call).isInstanceOf(CallableStatement.class);
            }
            assertThat(c).isEqualTo(c).isNotEqualTo(keepAlive);
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("H2");
            assertThat(c.getMetaData().unwrap(org.h2.jdbc.JdbcDatabaseMetaData.class))
                    .isInstanceOf(org.h2.jdbc.JdbcDatabaseMetaData.class);
        }
        assertThat(shape("call pk_sleep(?)").executions()).isEqualTo(1);
    }

    @Test
    void batchesCountAsOneExecution() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement p = c.prepareStatement("update orders set total = total where id = ?");
                Statement s = c.createStatement()) {
            for (int i = 1; i <= 5; i++) {
                p.setInt(1, i);
                p.addBatch();
            }
            assertThat(p.executeBatch()).hasSize(5);
            s.addBatch("update customers set name = name where id = 1");
            s.addBatch("update customers set name = name where id = 2");
            s.executeBatch();
            assertThat(s.executeLargeUpdate("update customers set name = name where id = 3")).isEqualTo(1L);
        }
        assertThat(shape("update orders set total = total where id = ?").executions()).isEqualTo(1);
        assertThat(shape("update customers set name = name where id = ?").executions()).isEqualTo(2);
    }

    @Test
    void connectionUsageTracksOpenMaxAndWait() throws SQLException {
        Connection a = ds.getConnection();
        Connection b = ds.getConnection();
        assertThat(ds.connections().open()).isEqualTo(2);
        a.close();
        a.close(); // closing twice is counted once
        b.close();
        ConnectionUsage usage = ds.connections();
        assertThat(usage.open()).isZero();
        assertThat(usage.maxOpen()).isEqualTo(2);
        assertThat(usage.acquired()).isEqualTo(2);
        assertThat(usage.totalWaitNanos()).isPositive().isGreaterThanOrEqualTo(usage.maxWaitNanos());
        assertThat(usage.meanWaitNanos()).isPositive();
        assertThat(perf.registry().get(JdbcMetricNames.CONNECTION_ACQUIRE).tag("datasource", "shop").timer().count())
                .isEqualTo(2);
        assertThat(perf.registry().get(JdbcMetricNames.CONNECTIONS_MAX).gauge().value()).isEqualTo(2.0);
    }

    @Test
    void connectionBuilderConnectionsAreMonitoredAndUnsupportedBuildersPropagate() throws SQLException {
        // H2's data source has no connection builder: the wrapper says so exactly as the driver does
        assertThatThrownBy(ds::createConnectionBuilder).isInstanceOf(java.sql.SQLFeatureNotSupportedException.class);

        DataSource withBuilder = new DataSource() {
            @Override
            public java.sql.ConnectionBuilder createConnectionBuilder() {
                return new java.sql.ConnectionBuilder() {
                    private String user = "";

                    @Override
                    public java.sql.ConnectionBuilder user(String username) {
                        user = username;
                        return this;
                    }

                    @Override
                    public java.sql.ConnectionBuilder password(String password) {
                        return this;
                    }

                    @Override
                    public java.sql.ConnectionBuilder shardingKey(java.sql.ShardingKey shardingKey) {
                        return this;
                    }

                    @Override
                    public java.sql.ConnectionBuilder superShardingKey(java.sql.ShardingKey superShardingKey) {
                        return this;
                    }

                    @Override
                    public Connection build() throws SQLException {
                        assertThat(user).isEqualTo("sa");
                        return h2.getConnection();
                    }
                };
            }

            @Override
            public Connection getConnection() throws SQLException {
                return h2.getConnection();
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return h2.getConnection(username, password);
            }

            @Override
            public java.io.PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(java.io.PrintWriter out) {}

            @Override
            public void setLoginTimeout(int seconds) {}

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public java.util.logging.Logger getParentLogger() {
                return java.util.logging.Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
        PerfDataSource built = PerfDataSource.wrap(withBuilder, perf, JdbcConfig.builder().name("built").build());
        try (Connection c = built.createConnectionBuilder().user("sa").password("").build();
                Statement s = c.createStatement()) {
            s.executeQuery("select 1").close();
            assertThat(built.connections().open()).isEqualTo(1);
        }
        assertThat(built.connections().acquired()).isEqualTo(1);
        assertThat(built.connections().open()).isZero();
        assertThat(built.statements(10)).extracting(StatementStats::shape).containsExactly("select ?");
    }

    @Test
    void failingGetConnectionPropagatesAndIsCounted() {
        JdbcDataSource broken = new JdbcDataSource();
        broken.setURL("jdbc:h2:mem:perfkit-missing;IFEXISTS=TRUE");
        PerfDataSource wrapped = PerfDataSource.wrap(broken, perf, JdbcConfig.builder().name("broken").build());
        assertThatThrownBy(wrapped::getConnection).isInstanceOf(SQLException.class);
        assertThat(wrapped.connections().failed()).isEqualTo(1);
        assertThat(wrapped.connections().open()).isZero();
    }

    @Test
    void healthCheckValidatesAConnection() throws Exception {
        HealthResult up = ds.healthCheck().check();
        assertThat(up.status()).isEqualTo(HealthStatus.UP);
        assertThat(ds.connections().acquired()).isZero();

        JdbcDataSource broken = new JdbcDataSource();
        broken.setURL("jdbc:h2:mem:perfkit-missing;IFEXISTS=TRUE");
        PerfDataSource down = PerfDataSource.wrap(broken, perf, JdbcConfig.builder().name("down").build());
        perf.health().register("db", down.healthCheck());
        assertThat(perf.health().checkAll().components().get("db").status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void shapeMapIsBounded() throws SQLException {
        PerfDataSource small = PerfDataSource.wrap(h2, perf, JdbcConfig.builder().name("small").maxShapes(2).build());
        try (Connection c = small.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("select 1").close();
            s.executeQuery("select id from customers where id = 1").close();
            s.executeQuery("select id from orders where id = 1").close();
            s.executeQuery("select name from customers where id = 1").close();
        }
        List<StatementStats> all = small.statements(10);
        assertThat(all).hasSize(3);
        assertThat(all).filteredOn(st -> st.shape().startsWith("(other statements")).singleElement()
                .satisfies(st -> assertThat(st.executions()).isEqualTo(2));
        assertThat(small.statements(1)).hasSize(1);

        // distinct statements beyond the cap share the overflow shape, which is never an N+1
        try (Scope request = perf.profiler().request("GET /many"); Connection c = small.getConnection();
                Statement s = c.createStatement()) {
            for (int i = 0; i < 15; i++) {
                s.executeQuery("select id from customers where id = 1 and " + "1 = 1 and ".repeat(i) + "1 = 1").close();
            }
        }
        assertThat(small.nPlusOneFindings()).isEmpty();
    }

    @Test
    void configValidatesAndNamesTheBadField() {
        assertThatThrownBy(() -> JdbcConfig.builder().nPlusOneThreshold(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nPlusOneThreshold");
        assertThatThrownBy(() -> JdbcConfig.builder().slowThreshold(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slowThreshold");
        assertThatThrownBy(() -> JdbcConfig.builder().name(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThat(JdbcConfig.ofDefaults().nPlusOneThreshold()).isEqualTo(JdbcConfig.DEFAULT_N_PLUS_ONE_THRESHOLD);
    }

    @Test
    void bookkeepingFailuresAreSwallowedAndCounted() throws SQLException {
        SimpleMeterRegistry throwing = new SimpleMeterRegistry() {
            @Override
            protected Counter newCounter(Meter.Id id) {
                if (!id.getName().equals(JdbcMetricNames.SLOW_STATEMENTS)) {
                    return super.newCounter(id);
                }
                return new Counter() {
                    @Override
                    public void increment(double amount) {
                        throw new IllegalStateException("planted bookkeeping failure");
                    }

                    @Override
                    public double count() {
                        return 0;
                    }

                    @Override
                    public Meter.Id getId() {
                        return id;
                    }
                };
            }
        };
        try (Perf other = Perf.builder().registry(throwing).autoTick(false).systemMetrics(false).jvmMetrics(false)
                .build()) {
            PerfDataSource failing = PerfDataSource.wrap(h2, other, JdbcConfig.builder().name("failing")
                    .slowThreshold(Duration.ofNanos(1)).build());
            try (Connection c = failing.getConnection(); Statement s = c.createStatement()) {
                for (int i = 0; i < 3; i++) {
                    try (ResultSet rs = s.executeQuery("select count(*) from customers")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(CUSTOMERS);
                    }
                }
            }
            assertThat(failing.monitorFailures()).isEqualTo(3);
            assertThat(throwing.get(JdbcMetricNames.MONITOR_FAILURES).counter().count()).isEqualTo(3.0);
        }
    }

    @Test
    void statusSectionShowsConnectionsStatementsAndFindings() throws SQLException {
        perf.register(ds.statusContributor());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("select count(*) from customers").close();
        }
        Map<String, Object> section = perf.statusSections().get("jdbc.shop");
        assertThat(section).containsKeys("connections", "statements", "nPlusOne", "monitorFailures");
        @SuppressWarnings("unchecked")
        Map<String, Object> connections = (Map<String, Object>) section.get("connections");
        assertThat(connections).containsEntry("acquired", 1L).containsEntry("open", 0L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) section.get("statements");
        assertThat(statements).singleElement().satisfies(m -> assertThat(m)
                .containsEntry("shape", "select count(*) from customers").containsEntry("executions", 1L));
    }

    private StatementStats shape(String shape) {
        return ds.statements(Integer.MAX_VALUE).stream().filter(s -> s.shape().equals(shape)).findFirst()
                .orElseThrow(() -> new AssertionError("no shape " + shape + " in " + ds.statements(100)));
    }
}
