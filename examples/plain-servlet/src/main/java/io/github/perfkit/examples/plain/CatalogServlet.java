package io.github.perfkit.examples.plain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.cache.MultilevelCache;
import io.github.perfkit.core.Operation;
import io.github.perfkit.core.PerformanceTracker;
import io.github.perfkit.core.Scope;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's business endpoints, timed with Perfkit's tracker:
 * <ul>
 * <li>{@code GET /products/{id}}: one product, read through the {@code products} cache (operation
 * {@code catalog.product}; the database load is the nested operation {@code catalog.product.load});</li>
 * <li>{@code GET /products?category=books}: the cheapest products of a category (operation
 * {@code catalog.search});</li>
 * <li>{@code GET /orders/recent}: the products of the twenty latest orders, loaded one query per order
 * on purpose: the N+1 pattern the JDBC wrapper reports as a finding (operation {@code orders.recent}).</li>
 * </ul>
 * The filter in front of this servlet times every request as {@code perfkit.http.server.requests} with the
 * URI template ({@code /products/{id}}) and opens the request's profile tree, into which these scopes nest.
 *
 * <p>Thread-safe: stateless apart from thread-safe collaborators.
 */
public final class CatalogServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CatalogServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ID_DIGITS = 18;

    private final transient ProductRepository repository;
    private final transient MultilevelCache<Product> products;
    private final transient PerformanceTracker tracker;
    private final transient Operation productLoad;

    /**
     * The business servlet.
     *
     * @param repository the database access
     * @param products the product cache
     * @param tracker the hub's tracker
     */
    public CatalogServlet(ProductRepository repository, MultilevelCache<Product> products, PerformanceTracker tracker) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.products = Objects.requireNonNull(products, "products");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        // pre-resolved: the hot path neither looks the operation up nor allocates
        this.productLoad = tracker.operation("catalog.product.load");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getRequestURI();
        try {
            if (path.startsWith("/products/")) {
                product(path.substring("/products/".length()), res);
            } else if (path.equals("/products")) {
                search(req.getParameter("category"), res);
            } else if (path.equals("/orders/recent")) {
                recentOrders(res);
            } else {
                res.sendError(HttpServletResponse.SC_NOT_FOUND);
            }
        } catch (SQLException | IllegalStateException e) {
            LOG.warn("Request {} failed", path, e);
            res.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
        }
    }

    private void product(String idText, HttpServletResponse res) throws IOException {
        if (idText.isEmpty() || idText.length() > MAX_ID_DIGITS || !idText.chars().allMatch(Character::isDigit)) {
            res.sendError(HttpServletResponse.SC_BAD_REQUEST, "id must be a number");
            return;
        }
        long id = Long.parseLong(idText);
        try (Scope scope = tracker.start("catalog.product")) {
            Product p = products.get("product:" + id, key -> load(id));  // L1, then L2 (Redis), then the database
            if (p == null) {
                res.sendError(HttpServletResponse.SC_NOT_FOUND, "no product " + id);
                return;
            }
            write(res, p);
        }
    }

    private @Nullable Product load(long id) {
        try (Scope scope = productLoad.start()) {
            return repository.find(id).orElse(null);
        } catch (SQLException e) {
            throw new IllegalStateException("product " + id + " could not be loaded", e);
        }
    }

    private void search(@Nullable String category, HttpServletResponse res) throws IOException, SQLException {
        if (category == null || !ProductRepository.CATEGORIES.contains(category)) {
            res.sendError(HttpServletResponse.SC_BAD_REQUEST, "category must be one of " + ProductRepository.CATEGORIES);
            return;
        }
        try (Scope scope = tracker.start("catalog.search", "category", category)) {
            write(res, repository.byCategory(category, 20));
        }
    }

    private void recentOrders(HttpServletResponse res) throws IOException, SQLException {
        try (Scope scope = tracker.start("orders.recent")) {
            List<Product> out = new ArrayList<>();
            for (long productId : repository.recentOrderProductIds(20)) {
                // one query per order on purpose (no cache, no join): the JDBC wrapper flags this N+1
                Optional<Product> p = repository.find(productId);
                p.ifPresent(out::add);
            }
            write(res, Map.of("orders", out.size(), "products", out));
        }
    }

    private static void write(HttpServletResponse res, Object body) throws IOException {
        res.setContentType("application/json");
        res.setCharacterEncoding("UTF-8");
        JSON.writeValue(res.getOutputStream(), body);
    }
}
