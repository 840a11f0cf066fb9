package io.github.perfkit.examples.shop.problems;

import java.util.Locale;
import java.util.Optional;

/**
 * The deliberate performance problems of the shop, each switchable at run time. Every one is bounded so that
 * the demo never harms the machine.
 *
 * <p>Immutable and thread-safe.
 */
public enum Problem {
    /** Product search with a function on the column and a leading-wildcard LIKE over every product. */
    SLOW_QUERY("slow-query", "GET /api/products/search: LOWER(description) LIKE '%q%' scans every product"),
    /** A user's orders loaded with one query per order for its items. */
    N_PLUS_ONE("n-plus-one", "GET /api/users/{id}/orders: one query for the orders, then one per order for its items"),
    /** Every product view keeps a 32 KB entry in an unbounded map (capped, see {@link MemoryLeak#CAP_BYTES}). */
    MEMORY_LEAK("memory-leak", "GET /api/products/{id}: each view keeps 32 KB in a map that is never trimmed"),
    /** Every order tracking request starts a thread that never ends (capped, see {@link ThreadLeak#CAP}). */
    THREAD_LEAK("thread-leak", "GET /api/orders/{id}/track: each request starts a thread that never stops"),
    /** Recommendations computed by busy hashing in {@code Recommendations.similarityByHashing}. */
    CPU_SPIKE("cpu-spike", "GET /api/products/{id}/recommendations: busy SHA-256 hashing in similarityByHashing"),
    /** Stock reservations serialised on one shared monitor with work inside. */
    LOCK_CONTENTION("lock-contention", "POST /api/inventory/{id}/reserve: every reservation holds one global lock for ~25 ms"),
    /** The sales report recomputed on every request instead of read from its {@code @Cached} twin. */
    UNCACHED_REPORT("uncached-report", "GET /api/reports/sales: aggregated over every order line on each request");

    private final String id;
    private final String description;

    Problem(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** @return the name used by the admin endpoint and the {@code shop.problems} property */
    public String id() {
        return id;
    }

    /** @return what the problem does */
    public String description() {
        return description;
    }

    /**
     * Finds a problem by its id (case-insensitive, {@code _} accepted for {@code -}).
     *
     * @param id the id
     * @return the problem, if any
     */
    public static Optional<Problem> byId(String id) {
        String norm = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Problem p : values()) {
            if (p.id.equals(norm)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
