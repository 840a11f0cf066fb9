package io.github.perfkit.examples.shop.service;

import io.github.perfkit.cache.annotation.Cached;
import io.github.perfkit.examples.shop.data.Records.SalesReport;
import io.github.perfkit.examples.shop.data.ShopDatabase;
import java.util.Objects;

/**
 * The sales report of a category, expensive to compute: {@link #compute} aggregates every order line on each call;
 * {@link #cached} is its twin through Perfkit's {@code @Cached} (cache {@value #CACHE}, 30 s), served from L1
 * (and Redis, when configured) after the first call.
 *
 * <p>Thread-safe. A Spring bean: {@code cached} works through the proxy only.
 */
public class SalesReports {

    /** Name of the cache. */
    public static final String CACHE = "sales-report";

    private final ShopDatabase db;

    /**
     * @param db the database
     */
    public SalesReports(ShopDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Computes the report now.
     *
     * @param category the category
     * @return the report
     */
    public SalesReport compute(String category) {
        return db.salesReport(category);
    }

    /**
     * The report from the cache, computed on a miss.
     *
     * @param category the category
     * @return the report
     */
    @Cached(cache = CACHE, key = "sales:#category", ttl = "30s")
    public SalesReport cached(String category) {
        return db.salesReport(category);
    }
}
