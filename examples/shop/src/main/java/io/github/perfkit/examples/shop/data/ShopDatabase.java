package io.github.perfkit.examples.shop.data;

import io.github.perfkit.examples.shop.data.Records.Order;
import io.github.perfkit.examples.shop.data.Records.OrderItem;
import io.github.perfkit.examples.shop.data.Records.Product;
import io.github.perfkit.examples.shop.data.Records.SalesLine;
import io.github.perfkit.examples.shop.data.Records.SalesReport;
import io.github.perfkit.examples.shop.data.Records.SearchHit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The shop's tables on H2, seeded with deterministic data at startup, and every query the endpoints run — the
 * deliberately bad ones next to their fixed twins.
 *
 * <p>Thread-safe (JdbcTemplate is).
 */
public final class ShopDatabase {

    /** The product categories. */
    public static final List<String> CATEGORIES = List.of("books", "garden", "kitchen", "toys", "music", "sports",
            "office", "health", "beauty", "tools", "games", "pets", "baby", "auto", "outdoor", "shoes", "jewelry",
            "lighting", "audio", "camera");
    /** Products carry one of this many model numbers ({@code model-1} ...), the search terms. */
    public static final int MODELS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(ShopDatabase.class);
    private static final String[] ADJECTIVES = {"smart", "classic", "compact", "deluxe", "eco", "rugged", "silent",
            "turbo", "vintage", "wireless", "modular", "premium"};
    private static final String[] NOUNS = {"widget", "lamp", "kettle", "speaker", "backpack", "chair", "drill",
            "puzzle", "blender", "camera", "racket", "notebook"};
    private static final String[] WORDS = {"durable", "lightweight", "ergonomic", "water-resistant", "handmade",
            "recycled", "adjustable", "portable", "certified", "warranty", "stainless", "cotton", "bamboo", "steel"};

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    /**
     * @param jdbc the template over the shop's data source
     */
    public ShopDatabase(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    /**
     * Creates the tables and fills them with deterministic data.
     *
     * @param products number of products
     * @param users number of users
     * @param ordersPerUser orders per user (each with 1 to 5 lines)
     */
    public void createAndSeed(int products, int users, int ordersPerUser) {
        long t0 = System.nanoTime();
        // H2 hands back the previous result of an identical query while no table it reads has changed; a real
        // database server runs the statement again, and so must the shop, or the uncached report and the slow search
        // would be cached by the database whenever nothing writes (database-wide setting).
        jdbc.execute("SET OPTIMIZE_REUSE_RESULTS 0");
        jdbc.execute("CREATE TABLE products (id BIGINT PRIMARY KEY, name VARCHAR(120) NOT NULL, category VARCHAR(40) NOT NULL,"
                + " description VARCHAR(2000) NOT NULL, price BIGINT NOT NULL, stock INT NOT NULL, sold BIGINT NOT NULL)");
        jdbc.execute("CREATE INDEX products_name ON products(name)");
        jdbc.execute("CREATE INDEX products_category ON products(category)");
        jdbc.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL)");
        jdbc.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, status VARCHAR(20) NOT NULL)");
        jdbc.execute("CREATE INDEX orders_user ON orders(user_id)");
        // no index on order_items.product_id: the slow query's correlated count scans every line
        jdbc.execute("CREATE TABLE order_items (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL, product_id BIGINT NOT NULL,"
                + " quantity INT NOT NULL, price BIGINT NOT NULL)");
        jdbc.execute("CREATE INDEX order_items_order ON order_items(order_id)");

        Random random = new Random(42);
        long[] prices = new long[products + 1];
        long[] sold = new long[products + 1];
        List<Object[]> rows = new ArrayList<>(1000);
        List<Object[]> productRows = new ArrayList<>(products);
        for (int id = 1; id <= products; id++) {
            int model = 1 + random.nextInt(MODELS);
            String name = "model-" + model + " " + ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " "
                    + NOUNS[random.nextInt(NOUNS.length)];
            StringBuilder description = new StringBuilder(600);
            description.append("The ").append(name.toUpperCase(java.util.Locale.ROOT)).append(':');
            while (description.length() < 500) {
                description.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            prices[id] = 199 + random.nextInt(50_000);
            productRows.add(new Object[] {id, name, CATEGORIES.get(random.nextInt(CATEGORIES.size())),
                    description.toString(), prices[id], 1_000_000});
        }
        long itemId = 0;
        long orderId = 0;
        List<Object[]> userRows = new ArrayList<>(users);
        List<Object[]> orderRows = new ArrayList<>(users * ordersPerUser);
        List<Object[]> itemRows = new ArrayList<>(users * ordersPerUser * 3);
        for (int u = 1; u <= users; u++) {
            userRows.add(new Object[] {u, "user " + u, "user" + u + "@shop.example"});
            for (int o = 0; o < ordersPerUser; o++) {
                orderId++;
                orderRows.add(new Object[] {orderId, u, random.nextInt(10) == 0 ? "OPEN" : "SHIPPED"});
                int lines = 1 + random.nextInt(5);
                for (int l = 0; l < lines; l++) {
                    int product = 1 + random.nextInt(products);
                    int quantity = 1 + random.nextInt(3);
                    sold[product] += quantity;
                    itemRows.add(new Object[] {++itemId, orderId, product, quantity, prices[product]});
                }
            }
        }
        for (Object[] row : productRows) {
            Object[] full = java.util.Arrays.copyOf(row, 7);
            full[6] = sold[((Number) row[0]).intValue()];
            rows.add(full);
        }
        jdbc.batchUpdate("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?)", rows);
        jdbc.batchUpdate("INSERT INTO users VALUES (?, ?, ?)", userRows);
        jdbc.batchUpdate("INSERT INTO orders VALUES (?, ?, ?)", orderRows);
        jdbc.batchUpdate("INSERT INTO order_items VALUES (?, ?, ?, ?, ?)", itemRows);
        LOG.info("Shop database seeded in {} ms: {} products, {} users, {} orders, {} order lines",
                (System.nanoTime() - t0) / 1_000_000, products, users, orderId, itemId);
    }

    /** @return number of products */
    public long productCount() {
        return Objects.requireNonNull(jdbc.queryForObject("SELECT COUNT(*) FROM products", Long.class));
    }

    /** @return number of orders */
    public long orderCount() {
        return Objects.requireNonNull(jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class));
    }

    /**
     * @param id a product id
     * @return the product, if it exists
     */
    public Optional<Product> product(long id) {
        return jdbc.query("SELECT id, name, category, price, stock FROM products WHERE id = ?",
                (rs, i) -> new Product(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5)), id)
                .stream().findFirst();
    }

    /**
     * The slow search: a function on the column and a leading wildcard defeat every index, and the popularity is
     * a correlated count over all order lines (no index on {@code product_id}).
     *
     * @param term the search term
     * @return at most 20 hits, best sellers first
     */
    public List<SearchHit> searchSlow(String term) {
        return jdbc.query("SELECT p.id, p.name, p.price,"
                        + " (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.product_id = p.id) AS sold"
                        + " FROM products p WHERE LOWER(p.description) LIKE ? ORDER BY sold DESC, p.id LIMIT 20",
                (rs, i) -> new SearchHit(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)),
                "%" + term.toLowerCase(java.util.Locale.ROOT) + " %");
    }

    /**
     * The fixed search: a prefix on the indexed name and the denormalised {@code sold} column.
     *
     * @param term the search term, e.g. {@code model-42}
     * @return at most 20 hits, best sellers first
     */
    public List<SearchHit> searchFast(String term) {
        return jdbc.query("SELECT id, name, price, sold FROM products WHERE name LIKE ? ORDER BY sold DESC, id LIMIT 20",
                (rs, i) -> new SearchHit(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)),
                term.toLowerCase(java.util.Locale.ROOT).replace("%", "").replace("_", "") + " %");
    }

    /**
     * A user's orders the N+1 way: one query for the orders, then one per order for its lines.
     *
     * @param userId the user
     * @return the orders with their lines
     */
    public List<Order> ordersNPlusOne(long userId) {
        List<long[]> heads = jdbc.query("SELECT id, user_id FROM orders WHERE user_id = ? ORDER BY id",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, userId);
        List<Order> orders = new ArrayList<>(heads.size());
        for (long[] head : heads) {
            String status = jdbc.queryForObject("SELECT status FROM orders WHERE id = ?", String.class, head[0]);
            List<OrderItem> items = jdbc.query("SELECT product_id, quantity, price FROM order_items WHERE order_id = ? ORDER BY id",
                    (rs, i) -> new OrderItem(rs.getLong(1), rs.getInt(2), rs.getLong(3)), head[0]);
            orders.add(new Order(head[0], head[1], Objects.requireNonNull(status), items));
        }
        return orders;
    }

    /**
     * A user's orders in one query (the batched twin of {@link #ordersNPlusOne}).
     *
     * @param userId the user
     * @return the orders with their lines
     */
    public List<Order> ordersBatched(long userId) {
        Map<Long, Object[]> heads = new LinkedHashMap<>();
        Map<Long, List<OrderItem>> items = new LinkedHashMap<>();
        jdbc.query("SELECT o.id, o.status, i.product_id, i.quantity, i.price FROM orders o"
                + " JOIN order_items i ON i.order_id = o.id WHERE o.user_id = ? ORDER BY o.id, i.id", rs -> {
                    long id = rs.getLong(1);
                    heads.putIfAbsent(id, new Object[] {rs.getString(2)});
                    items.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(new OrderItem(rs.getLong(3), rs.getInt(4), rs.getLong(5)));
                }, userId);
        List<Order> orders = new ArrayList<>(heads.size());
        heads.forEach((id, head) -> orders.add(new Order(id, userId, (String) head[0], items.get(id))));
        return orders;
    }

    /**
     * Reserves units of a product.
     *
     * @param productId the product
     * @param quantity units
     * @return whether the stock sufficed
     */
    public boolean reserve(long productId, int quantity) {
        return jdbc.update("UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?", quantity, productId, quantity) == 1;
    }

    /**
     * The expensive sales report of a category: aggregated over every order line.
     *
     * @param category the category
     * @return the report
     */
    public SalesReport salesReport(String category) {
        MapSqlParameterSource p = new MapSqlParameterSource("category", category);
        Map<String, Object> totals = named.queryForMap("SELECT COUNT(DISTINCT i.order_id) AS orders,"
                + " COALESCE(SUM(i.quantity), 0) AS units, COALESCE(SUM(i.quantity * i.price), 0) AS revenue"
                + " FROM order_items i JOIN products p ON p.id = i.product_id WHERE p.category = :category", p);
        List<SalesLine> top = named.query("SELECT p.id, p.name, SUM(i.quantity) AS units, SUM(i.quantity * i.price) AS revenue"
                        + " FROM order_items i JOIN products p ON p.id = i.product_id WHERE p.category = :category"
                        + " GROUP BY p.id, p.name ORDER BY revenue DESC, p.id LIMIT 10", p,
                (rs, i) -> new SalesLine(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
        return new SalesReport(category, ((Number) totals.get("ORDERS")).longValue(),
                ((Number) totals.get("UNITS")).longValue(), ((Number) totals.get("REVENUE")).longValue(), top);
    }
}
