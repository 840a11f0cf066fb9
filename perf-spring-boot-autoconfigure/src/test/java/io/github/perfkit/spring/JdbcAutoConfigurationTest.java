package io.github.perfkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.jdbc.PerfDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The application's DataSource is wrapped (on a real H2) unless switched off. */
class JdbcAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PerfkitAutoConfiguration.class,
                    PerfkitJdbcAutoConfiguration.class))
            .withUserConfiguration(H2Config.class)
            .withPropertyValues("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false");

    @Test
    void dataSourceIsWrappedAndStatementsAreRecorded() {
        runner.run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(dataSource).isInstanceOf(PerfDataSource.class);
            assertThat(dataSource.unwrap(JdbcDataSource.class)).isNotNull();
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                for (int i = 0; i < 3; i++) {
                    try (ResultSet rs = s.executeQuery("SELECT " + i)) {
                        assertThat(rs.next()).isTrue();
                    }
                }
            }
            assertThat(((PerfDataSource) dataSource).statements(10))
                    .anySatisfy(stats -> assertThat(stats.executions()).isEqualTo(3));
        });
    }

    @Test
    void switchedOffLeavesTheDataSourceAlone() {
        runner.withPropertyValues("perfkit.jdbc.enabled=false").run(context ->
                assertThat(context.getBean(DataSource.class)).isInstanceOf(JdbcDataSource.class));
        runner.withPropertyValues("perfkit.enabled=false").run(context ->
                assertThat(context.getBean(DataSource.class)).isInstanceOf(JdbcDataSource.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class H2Config {
        @Bean
        DataSource dataSource() {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:perfkit-jdbc;DB_CLOSE_DELAY=-1");
            return ds;
        }
    }
}
