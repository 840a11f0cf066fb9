package io.github.perfkit.examples.shop;

import io.github.perfkit.cache.CacheConfig;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.codec.JsonCodec;
import io.github.perfkit.examples.shop.data.Records.SalesReport;
import io.github.perfkit.examples.shop.data.ShopDatabase;
import io.github.perfkit.examples.shop.problems.MemoryLeak;
import io.github.perfkit.examples.shop.problems.ProblemSwitches;
import io.github.perfkit.examples.shop.problems.ThreadLeak;
import io.github.perfkit.examples.shop.service.Inventory;
import io.github.perfkit.examples.shop.service.Recommendations;
import io.github.perfkit.examples.shop.service.SalesReports;
import io.github.perfkit.examples.shop.stocks.StockEndpoint;
import io.github.perfkit.examples.shop.stocks.StockTicker;
import io.github.perfkit.servlet.WebSocketMonitor;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/**
 * The shop: products, users and orders on H2, REST endpoints with switchable problems, live stock prices over
 * {@code /ws/stocks}; monitored by the Perfkit starter (dashboard at {@code /perf/}). {@link ShopLauncher} starts
 * it with the problems on and load against it.
 *
 * <p>Thread-safety: a Spring configuration; the beans it creates are thread-safe.
 */
@SpringBootApplication
public class ShopApplication {

    /** Default {@code shop.seed.products}. */
    public static final int DEFAULT_PRODUCTS = 10_000;
    /** Default {@code shop.seed.users}. */
    public static final int DEFAULT_USERS = 1_000;
    /** Default {@code shop.seed.orders-per-user} (over the N+1 detector's threshold of 10 statements). */
    public static final int DEFAULT_ORDERS_PER_USER = 12;

    /** Creates the configuration; called by Spring. */
    public ShopApplication() {
        // configuration class
    }

    /**
     * Starts the shop alone (problems as set by {@code shop.problems}, default none).
     *
     * @param args Spring Boot arguments, e.g. {@code --shop.problems=all}
     */
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }

    /**
     * @param spec {@code shop.problems}: {@code all}, {@code none} or a comma list
     * @return the switches
     */
    @Bean
    public ProblemSwitches problemSwitches(@Value("${shop.problems:none}") String spec) {
        return new ProblemSwitches(spec);
    }

    /**
     * @param switches the switches
     * @return the memory leak
     */
    @Bean
    public MemoryLeak memoryLeak(ProblemSwitches switches) {
        return new MemoryLeak(switches);
    }

    /**
     * @param switches the switches
     * @return the thread leak, whose threads end with the shop
     */
    @Bean(destroyMethod = "close")
    public ThreadLeak threadLeak(ProblemSwitches switches) {
        return new ThreadLeak(switches);
    }

    /**
     * The seeded database. The starter wraps its data source: statement statistics (shapes, timings, index hints,
     * N+1 flags) are the status section {@code jdbc.dataSource}, which the dashboard and {@code /perf/api/jdbc} show.
     *
     * @param jdbc the template over the (Perfkit-wrapped) data source
     * @param products number of products
     * @param users number of users
     * @param ordersPerUser orders per user
     * @return the database
     */
    @Bean
    public ShopDatabase shopDatabase(JdbcTemplate jdbc, @Value("${shop.seed.products:" + DEFAULT_PRODUCTS + "}") int products,
                                     @Value("${shop.seed.users:" + DEFAULT_USERS + "}") int users,
                                     @Value("${shop.seed.orders-per-user:" + DEFAULT_ORDERS_PER_USER + "}") int ordersPerUser) {
        ShopDatabase db = new ShopDatabase(jdbc);
        db.createAndSeed(products, users, ordersPerUser);
        return db;
    }

    /**
     * @param db the database
     * @param switches the switches
     * @return recommendations
     */
    @Bean
    public Recommendations recommendations(ShopDatabase db, ProblemSwitches switches) {
        return new Recommendations(db, switches);
    }

    /**
     * @param db the database
     * @param switches the switches
     * @return the inventory
     */
    @Bean
    public Inventory inventory(ShopDatabase db, ProblemSwitches switches) {
        return new Inventory(db, switches);
    }

    /**
     * The sales reports; their cache is created here with a JSON codec, so that it uses the Redis tier when
     * {@code REDIS_URL} (mapped to {@code perfkit.cache.redis.url}) is set.
     *
     * @param db the database
     * @param caches Perfkit's cache manager
     * @return the reports (proxied by Perfkit's {@code @Cached} aspect)
     */
    @Bean
    public SalesReports salesReports(ShopDatabase db, CacheManager caches) {
        if (caches.get(SalesReports.CACHE).isEmpty()) {
            caches.cache(SalesReports.CACHE, CacheConfig.builder()
                    .l1Ttl(Duration.ofSeconds(30))
                    .l2Ttl(Duration.ofMinutes(2))
                    .build(), JsonCodec.of(SalesReport.class));
        }
        return new SalesReports(db);
    }

    /**
     * @return the stock ticker, stopped with the shop
     */
    @Bean(destroyMethod = "close")
    public StockTicker stockTicker() {
        return new StockTicker();
    }

    /**
     * The {@code /ws/stocks} endpoint, measured as channel {@code stocks} by the starter's {@link WebSocketMonitor}.
     *
     * @param monitor the monitor
     * @param ticker the ticker
     * @return the endpoint's configuration, registered by {@link #serverEndpointExporter()}
     */
    @Bean
    public ServerEndpointConfig stocksEndpoint(WebSocketMonitor monitor, StockTicker ticker) {
        return ServerEndpointConfig.Builder.create(WebSocketMonitor.MonitoredEndpoint.class, "/ws/stocks")
                .configurator(monitor.configurator("stocks", () -> new StockEndpoint(ticker)))
                .build();
    }

    /**
     * Registers the {@link ServerEndpointConfig} beans with the servlet container.
     *
     * @return the exporter
     */
    @Bean
    public ServerEndpointExporter serverEndpointExporter() {
        return new ServerEndpointExporter();
    }
}
