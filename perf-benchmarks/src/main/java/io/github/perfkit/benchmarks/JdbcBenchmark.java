package io.github.perfkit.benchmarks;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.jdbc.PerfDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-statement cost of the JDBC wrapper: one prepared primary-key query on in-memory H2, executed and
 * read, through the raw driver ({@code wrapped=false}) and through {@link PerfDataSource}
 * ({@code wrapped=true}: timing, SQL shape, statistics, N+1 bookkeeping, outside a profiled request).
 *
 * <p>Run (nothing else running on the machine):
 * <pre>
 * ./mvnw -q -pl perf-benchmarks -am package -DskipTests
 * java -jar perf-benchmarks/target/benchmarks.jar JdbcBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class JdbcBenchmark {

    @Param({"false", "true"})
    public boolean wrapped;

    private Perf perf;
    private Connection connection;
    private PreparedStatement query;
    private int id;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:bench-" + wrapped + ";DB_CLOSE_DELAY=-1");
        perf = Perf.builder().systemMetrics(false).jvmMetrics(false).build();
        DataSource ds = wrapped ? PerfDataSource.wrap(h2, perf) : h2;
        connection = ds.getConnection();
        try (Statement s = connection.createStatement()) {
            s.execute("create table if not exists item(id int primary key, name varchar(40))");
            s.execute("delete from item");
            for (int i = 0; i < 1_000; i++) {
                s.execute("insert into item values (" + i + ", 'item " + i + "')");
            }
        }
        query = connection.prepareStatement("select name from item where id = ?");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        query.close();
        connection.close();
        perf.close();
    }

    @Benchmark
    public String selectByPrimaryKey() throws SQLException {
        id = (id + 1) % 1_000;
        query.setInt(1, id);
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
