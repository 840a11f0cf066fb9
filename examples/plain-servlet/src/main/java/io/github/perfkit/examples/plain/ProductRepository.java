package io.github.perfkit.examples.plain;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Products and orders in an embedded database, read through plain JDBC. Every statement goes through
 * the {@link DataSource} it is given, which in this example is Perfkit's {@code PerfDataSource}: each
 * statement is timed, counted in the request's profile tree, and repeated statement shapes within a
 * request are flagged as N+1.
 *
 * <p>Thread-safe: every call takes its own connection.
 */
public final class ProductRepository {

    /** Categories of the seeded products. */
    public static final List<String> CATEGORIES = List.of("books", "games", "music", "garden", "kitchen");

    private final DataSource dataSource;

    /**
     * A repository over a data source.
     *
     * @param dataSource the data source
     */
    public ProductRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Creates the tables and seeds {@code products} products and ten orders per category.
     *
     * @param products how many products
     * @throws SQLException when the database refuses
     */
    public void seed(int products) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE product (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                    + " category VARCHAR(40) NOT NULL, price DECIMAL(10,2) NOT NULL)");
            st.execute("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, product_id BIGINT NOT NULL,"
                    + " quantity INT NOT NULL)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO product VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= products; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, String.format(Locale.ROOT, "Product %04d", i));
                    ps.setString(3, CATEGORIES.get(i % CATEGORIES.size()));
                    ps.setBigDecimal(4, BigDecimal.valueOf(100 + (i * 37L) % 9_900, 2));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (product_id, quantity) VALUES (?, ?)")) {
                for (int i = 1; i <= Math.min(products, 50); i++) {
                    ps.setLong(1, i);
                    ps.setInt(2, 1 + i % 3);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /**
     * One product.
     *
     * @param id the id
     * @return the product, or empty
     * @throws SQLException when the query fails
     */
    public Optional<Product> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, name, category, price FROM product WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(product(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Products of a category, cheapest first.
     *
     * @param category the category
     * @param limit at most this many
     * @return the products
     * @throws SQLException when the query fails
     */
    public List<Product> byCategory(String category, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, name, category, price FROM product WHERE category = ? ORDER BY price, id LIMIT ?")) {
            ps.setString(1, category);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<Product> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(product(rs));
                }
                return out;
            }
        }
    }

    /**
     * The product ids of the most recent orders.
     *
     * @param limit at most this many
     * @return product ids, newest order first
     * @throws SQLException when the query fails
     */
    public List<Long> recentOrderProductIds(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT product_id FROM orders ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
                return out;
            }
        }
    }

    private static Product product(ResultSet rs) throws SQLException {
        return new Product(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4));
    }
}
