package io.github.perfkit.spring;

import io.github.perfkit.core.Perf;
import io.github.perfkit.spring.internal.DataSourceWrapper;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Wraps every {@link DataSource} bean of the application (Hikari or any other) in Perfkit's
 * {@link io.github.perfkit.core.jdbc.PerfDataSource}: statement timing, slow statements, N+1 detection and
 * connection usage, and a {@code jdbc.<bean name>} health check. The bean's type becomes
 * {@code PerfDataSource}; code that needs the pool itself calls {@code dataSource.unwrap(HikariDataSource.class)}.
 * Switched off with {@code perfkit.jdbc.enabled=false}; a bean that already is a {@code PerfDataSource} is
 * left as it is.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitAutoConfiguration.class)
@ConditionalOnClass(DataSource.class)
@ConditionalOnProperty(prefix = "perfkit", name = {"enabled", "jdbc.enabled"}, havingValue = "true",
        matchIfMissing = true)
public class PerfkitJdbcAutoConfiguration {

    /** Creates the configuration; called by Spring. */
    public PerfkitJdbcAutoConfiguration() {
        // configuration class
    }

    /**
     * The post-processor wrapping data sources; static so that it does not initialise the hub early.
     *
     * @param perf the hub, looked up when the first data source is wrapped
     * @return the post-processor
     */
    @Bean
    public static DataSourceWrapper perfkitDataSourceWrapper(ObjectProvider<Perf> perf) {
        return new DataSourceWrapper(perf);
    }
}
