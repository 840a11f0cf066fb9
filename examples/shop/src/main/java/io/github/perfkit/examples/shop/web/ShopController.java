package io.github.perfkit.examples.shop.web;

import io.github.perfkit.examples.shop.data.Records.Order;
import io.github.perfkit.examples.shop.data.Records.Product;
import io.github.perfkit.examples.shop.data.Records.SalesReport;
import io.github.perfkit.examples.shop.data.Records.SearchHit;
import io.github.perfkit.examples.shop.data.ShopDatabase;
import io.github.perfkit.examples.shop.problems.MemoryLeak;
import io.github.perfkit.examples.shop.problems.Problem;
import io.github.perfkit.examples.shop.problems.ProblemSwitches;
import io.github.perfkit.examples.shop.problems.ThreadLeak;
import io.github.perfkit.examples.shop.service.Inventory;
import io.github.perfkit.examples.shop.service.Recommendations;
import io.github.perfkit.examples.shop.service.SalesReports;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The shop's REST endpoints under {@code /api}. Each problem lives behind one of them (see {@link Problem}).
 *
 * <p>Thread-safe.
 */
@RestController
@RequestMapping("/api")
public class ShopController {

    private final ShopDatabase db;
    private final ProblemSwitches switches;
    private final MemoryLeak memoryLeak;
    private final ThreadLeak threadLeak;
    private final Recommendations recommendations;
    private final Inventory inventory;
    private final SalesReports reports;

    /**
     * @param db the database
     * @param switches the problem switches
     * @param memoryLeak the memory leak
     * @param threadLeak the thread leak
     * @param recommendations recommendations
     * @param inventory the inventory
     * @param reports the sales reports
     */
    public ShopController(ShopDatabase db, ProblemSwitches switches, MemoryLeak memoryLeak, ThreadLeak threadLeak,
                          Recommendations recommendations, Inventory inventory, SalesReports reports) {
        this.db = Objects.requireNonNull(db, "db");
        this.switches = Objects.requireNonNull(switches, "switches");
        this.memoryLeak = Objects.requireNonNull(memoryLeak, "memoryLeak");
        this.threadLeak = Objects.requireNonNull(threadLeak, "threadLeak");
        this.recommendations = Objects.requireNonNull(recommendations, "recommendations");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /**
     * A product (with {@code memory-leak} on, the view is remembered forever).
     *
     * @param id the product id
     * @return the product
     */
    @GetMapping("/products/{id}")
    public Product product(@PathVariable long id) {
        Product p = db.product(id).orElseThrow(() -> notFound("product", id));
        if (switches.isOn(Problem.MEMORY_LEAK)) {
            memoryLeak.remember(id);
        }
        return p;
    }

    /**
     * Searches products by model, e.g. {@code q=model-42} ({@code slow-query} on: full scan with a function on the
     * column and a correlated count).
     *
     * @param q the search term
     * @return at most 20 hits
     */
    @GetMapping("/products/search")
    public List<SearchHit> search(@RequestParam String q) {
        if (q.isBlank() || q.length() > 40) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "q: 1 to 40 characters");
        }
        return switches.isOn(Problem.SLOW_QUERY) ? db.searchSlow(q) : db.searchFast(q);
    }

    /**
     * Products recommended with a product ({@code cpu-spike} on: busy hashing).
     *
     * @param id the product id
     * @return recommended product ids
     */
    @GetMapping("/products/{id}/recommendations")
    public List<Long> recommendations(@PathVariable long id) {
        return recommendations.recommend(db.product(id).orElseThrow(() -> notFound("product", id)));
    }

    /**
     * A user's orders with their lines ({@code n-plus-one} on: one query per order).
     *
     * @param id the user id
     * @return the orders
     */
    @GetMapping("/users/{id}/orders")
    public List<Order> orders(@PathVariable long id) {
        return switches.isOn(Problem.N_PLUS_ONE) ? db.ordersNPlusOne(id) : db.ordersBatched(id);
    }

    /**
     * A user's orders in one query, always (the batched twin).
     *
     * @param id the user id
     * @return the orders
     */
    @GetMapping("/users/{id}/orders/batched")
    public List<Order> ordersBatched(@PathVariable long id) {
        return db.ordersBatched(id);
    }

    /**
     * Reserves stock ({@code lock-contention} on: under one global lock).
     *
     * @param id the product id
     * @param quantity units, 1 to 10
     * @return the outcome
     */
    @PostMapping("/inventory/{id}/reserve")
    public Map<String, Object> reserve(@PathVariable long id, @RequestParam(defaultValue = "1") int quantity) {
        if (quantity < 1 || quantity > 10) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "quantity: 1 to 10");
        }
        return Map.of("product", id, "reserved", inventory.reserve(id, quantity));
    }

    /**
     * Starts tracking an order's delivery ({@code thread-leak} on: a thread per request that never ends).
     *
     * @param id the order id
     * @return the tracking state
     */
    @GetMapping("/orders/{id}/track")
    public Map<String, Object> track(@PathVariable long id) {
        if (id < 1 || id > db.orderCount()) {
            throw notFound("order", id);
        }
        if (switches.isOn(Problem.THREAD_LEAK)) {
            threadLeak.startTracker(id);
        }
        return Map.of("order", id, "tracking", true);
    }

    /**
     * The sales report of a category ({@code uncached-report} on: computed on every request; off: the cached twin).
     *
     * @param category the category
     * @return the report
     */
    @GetMapping("/reports/sales")
    public SalesReport salesReport(@RequestParam(defaultValue = "books") String category) {
        checkCategory(category);
        return switches.isOn(Problem.UNCACHED_REPORT) ? reports.compute(category) : reports.cached(category);
    }

    /**
     * The sales report through {@code @Cached}, always.
     *
     * @param category the category
     * @return the report
     */
    @GetMapping("/reports/sales/cached")
    public SalesReport salesReportCached(@RequestParam(defaultValue = "books") String category) {
        checkCategory(category);
        return reports.cached(category);
    }

    private static void checkCategory(String category) {
        if (!ShopDatabase.CATEGORIES.contains(category)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "category: one of " + ShopDatabase.CATEGORIES);
        }
    }

    private static ResponseStatusException notFound(String what, long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, what + " " + id + " not found");
    }
}
