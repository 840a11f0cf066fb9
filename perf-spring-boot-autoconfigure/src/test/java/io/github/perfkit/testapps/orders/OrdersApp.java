package io.github.perfkit.testapps.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application over a real H2 {@link DataSource} (wrapped by the starter) whose endpoint does N+1: one
 * query for the customers, then one query per customer. Outside {@code io.github.perfkit.spring} on purpose: Perfkit
 * never names its own packages as the call site of a statement.
 */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"})
public class OrdersApp {

    /** Customers seeded, more than the N+1 threshold (10). */
    public static final int CUSTOMERS = 15;

    /**
     * @return an H2 in-memory database
     */
    @Bean
    public DataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:orders-http;DB_CLOSE_DELAY=-1");
        return ds;
    }

    /** Data access with an N+1 loop. */
    @Repository
    public static class OrderRepository {
        private final DataSource dataSource;

        OrderRepository(DataSource dataSource) throws SQLException {
            this.dataSource = dataSource;
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS customers (id INT PRIMARY KEY, name VARCHAR(40))");
                s.execute("CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, customer_id INT, total INT)");
                s.execute("DELETE FROM orders");
                s.execute("DELETE FROM customers");
                for (int i = 1; i <= CUSTOMERS; i++) {
                    s.execute("INSERT INTO customers VALUES (" + i + ", 'c" + i + "')");
                    s.execute("INSERT INTO orders VALUES (" + i + ", " + i + ", " + (i * 10) + ")");
                }
            }
        }

        /**
         * The N+1: one statement per customer.
         *
         * @return each customer's total
         * @throws SQLException on a database error
         */
        public List<Integer> totalsOneByOne() throws SQLException {
            List<Integer> totals = new ArrayList<>();
            try (Connection c = dataSource.getConnection()) {
                List<Integer> ids = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM customers")) {
                    while (rs.next()) {
                        ids.add(rs.getInt(1));
                    }
                }
                for (int id : ids) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT total FROM orders WHERE customer_id = ?")) {
                        ps.setInt(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            totals.add(rs.next() ? rs.getInt(1) : 0);
                        }
                    }
                }
            }
            return totals;
        }
    }

    /** The endpoint. */
    @RestController
    public static class OrdersController {
        private final OrderRepository repository;

        OrdersController(OrderRepository repository) {
            this.repository = repository;
        }

        /**
         * @return the number of totals read
         * @throws SQLException on a database error
         */
        @GetMapping("/customers/totals")
        public String totals() throws SQLException {
            return Integer.toString(repository.totalsOneByOne().size());
        }
    }
}
