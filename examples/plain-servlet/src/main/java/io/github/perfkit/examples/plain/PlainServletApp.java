package io.github.perfkit.examples.plain;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.config.RuleLoader;
import io.github.perfkit.alerts.notify.LogNotifier;
import io.github.perfkit.alerts.redis.RedisAlertStore;
import io.github.perfkit.cache.CacheConfig;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.MultilevelCache;
import io.github.perfkit.cache.codec.JsonCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.jdbc.PerfDataSource;
import io.github.perfkit.servlet.PerfEndpointsConfig;
import io.github.perfkit.servlet.PerfEndpointsServlet;
import io.github.perfkit.servlet.PerfFilter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.LongStream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A servlet application without any framework, monitored by Perfkit: embedded Jetty 12 with
 * {@link PerfFilter}, {@link PerfEndpointsServlet} and the dashboard wired by hand in {@link #start(Settings)},
 * plus the Java API: tracker scopes in {@link CatalogServlet}, a {@code products} multilevel cache (L1 only,
 * or L1 + Redis when {@code REDIS_URL} is set), an alert engine with the default rules and a log notifier
 * (alert claims shared through Redis when {@code REDIS_URL} is set), and {@link PerfDataSource} over H2.
 *
 * <p>Run: {@code ./mvnw -q -pl examples/plain-servlet -am package exec:java -Dmaven.test.skip=true -DskipITs},
 * then open {@code http://127.0.0.1:8080/perf/} and request {@code /products/42}, {@code /products?category=books}
 * or {@code /orders/recent}. Environment: {@code PORT} (8080), {@code HOST} (127.0.0.1), {@code REDIS_URL}
 * (e.g. {@code redis://127.0.0.1:6379}), {@code PERFKIT_TOKEN} (bearer token for non-loopback clients, at least
 * 16 characters), {@code PERFKIT_DIAGNOSIS} ({@code true}: continuous JFR diagnosis).
 *
 * <p>Thread-safe: start and close once; the running application serves requests concurrently.
 */
public final class PlainServletApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlainServletApp.class);

    /**
     * How to start the application.
     *
     * @param host the address to listen on
     * @param port the port, 0 for a free one
     * @param redisUrl Redis for the L2 cache and the shared alert store, or null for L1 only
     * @param bearerToken the token non-loopback clients must send to {@code /perf}, or null
     * @param diagnosis whether the continuous JFR diagnosis runs (about 1 % overhead)
     */
    public record Settings(String host, int port, @Nullable String redisUrl, @Nullable String bearerToken,
                           boolean diagnosis) {

        /** @throws IllegalArgumentException if the port is out of range */
        public Settings {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
        }

        /**
         * Reads {@code HOST}, {@code PORT}, {@code REDIS_URL}, {@code PERFKIT_TOKEN} and {@code PERFKIT_DIAGNOSIS}.
         *
         * @return the settings from the environment
         */
        public static Settings fromEnvironment() {
            String port = System.getenv("PORT");
            return new Settings(Objects.requireNonNullElse(System.getenv("HOST"), "127.0.0.1"),
                    port == null || port.isBlank() ? 8080 : Integer.parseInt(port.strip()),
                    blankToNull(System.getenv("REDIS_URL")), blankToNull(System.getenv("PERFKIT_TOKEN")),
                    !"false".equalsIgnoreCase(System.getenv("PERFKIT_DIAGNOSIS")));
        }
    }

    private final Server server;
    private final List<AutoCloseable> resources;
    private final Perf perf;

    private PlainServletApp(Server server, List<AutoCloseable> resources, Perf perf) {
        this.server = server;
        this.resources = resources;
        this.perf = perf;
    }

    /**
     * Starts the application: hub, database, cache, alerts, then Jetty with the filter, the endpoints and
     * the business servlet.
     *
     * @param settings how to start
     * @return the running application
     * @throws Exception when a part cannot start (everything started so far is closed)
     */
    public static PlainServletApp start(Settings settings) throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();   // closed in reverse order
        try {
            // tag::plain-servlet-wiring[]
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            prometheus.config().meterFilter(httpLatencyBuckets());      // p95/p99 in Prometheus (see below)
            Perf perf = Perf.builder().registry(prometheus).diagnosis(settings.diagnosis()).build();
            resources.add(perf);

            JdbcDataSource h2 = new JdbcDataSource();                    // any DataSource (a pool in production)
            h2.setURL("jdbc:h2:mem:catalog-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            PerfDataSource db = PerfDataSource.wrap(h2, perf);          // statements timed, N+1 flagged
            perf.register(db.statusContributor());
            perf.health().register("database", db.healthCheck());
            ProductRepository repository = new ProductRepository(db);
            repository.seed(2_000);

            CacheManager.Builder cacheBuilder = CacheManager.builder().perf(perf);
            if (settings.redisUrl() != null) {                          // L2 + cross-node invalidation
                cacheBuilder.remoteTier(RedisTier.create(RedisTierConfig.builder().uri(settings.redisUrl()).build()));
            }
            CacheManager caches = cacheBuilder.build();
            resources.add(caches);
            MultilevelCache<Product> products =
                    caches.cache("products", CacheConfig.ofDefaults(), JsonCodec.of(Product.class));

            AlertEngine.Builder alertBuilder = AlertEngine.builder().perf(perf)
                    .rules(RuleLoader.override(RuleLoader.defaults(), resource("alert-rules.yaml")))
                    .notifier(new LogNotifier());
            if (settings.redisUrl() != null) {                          // one node notifies per incident
                RedisAlertStore store = RedisAlertStore.create(settings.redisUrl(), "perfkit:alerts:", 1_000,
                        Duration.ofMillis(200));
                resources.add(store);
                alertBuilder.store(store);
            }
            AlertEngine alerts = alertBuilder.build();
            resources.add(alerts);
            alerts.start(Duration.ofSeconds(5));

            PerfFilter filter = new PerfFilter(perf);
            PerfEndpointsServlet endpoints = new PerfEndpointsServlet(perf,
                    PerfEndpointsConfig.builder().bearerToken(settings.bearerToken()).build(), filter);
            filter.serveEndpoints(endpoints);                           // /PERF, /perf;x and friends too

            ServletContextHandler context = new ServletContextHandler("/");
            context.getServletHandler().setDecodeAmbiguousURIs(true);   // ambiguous URIs: see below
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
            ServletHolder perfHolder = new ServletHolder(endpoints);
            perfHolder.setAsyncSupported(true);                         // server-sent events
            context.addServlet(perfHolder, "/perf/*");                  // endpoints + dashboard at /perf/
            context.addServlet(new ServletHolder(new CatalogServlet(repository, products, perf.tracker())), "/");

            Server server = new Server();
            // Jetty 12 answers //perf, /perf//x, /x/..;/perf and %2F with 400 before any filter runs: let them in,
            // Perfkit's canonical routing gives them the plain path's answer (see "Path tricks" in DEPLOYMENT.md).
            HttpConfiguration http = new HttpConfiguration();
            http.setUriCompliance(UriCompliance.from(UriCompliance.AMBIGUOUS_VIOLATIONS));
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(settings.host());
            connector.setPort(settings.port());
            server.addConnector(connector);
            server.setHandler(context);
            server.start();
            // end::plain-servlet-wiring[]
            return new PlainServletApp(server, resources, perf);
        } catch (Exception | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    /**
     * Starts with {@link Settings#fromEnvironment()}, logs the dashboard URL and runs until Ctrl-C.
     *
     * @param args ignored
     * @throws Exception when the application cannot start
     */
    public static void main(String[] args) throws Exception {
        PlainServletApp app = start(Settings.fromEnvironment());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "plain-servlet-shutdown"));
        LOG.info("Serving http://{}:{}/products/42 — dashboard http://{}:{}/perf/ (Ctrl-C stops)",
                app.host(), app.port(), app.host(), app.port());
        app.server.join();
    }

    /** @return the port the server listens on */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** @return the address the server listens on */
    public String host() {
        String host = ((ServerConnector) server.getConnectors()[0]).getHost();
        return host == null ? "127.0.0.1" : host;
    }

    /** @return the application's Perfkit hub */
    public Perf perf() {
        return perf;
    }

    /** Stops the server, then the alerts, the cache and the hub; never throws. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Jetty did not stop cleanly", e);
        }
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", resources.get(i), e);
            }
        }
        resources.clear();
    }

    /**
     * Latency buckets for {@code perfkit.http.server.requests}, so Prometheus can compute p95/p99 with
     * {@code histogram_quantile} (Perfkit's own windowed percentiles live in the tracker and the dashboard).
     *
     * @return the meter filter, to add to the registry before the hub is built
     */
    // tag::http-latency-buckets[]
    static MeterFilter httpLatencyBuckets() {
        double[] slos = LongStream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)
                .mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("perfkit.http.server.requests")) {
                    return config;
                }
                // 11 cumulative buckets per series (+Inf): perfkit_http_server_requests_seconds_bucket{le=..}
                return DistributionStatisticConfig.builder().serviceLevelObjectives(slos).build().merge(config);
            }
        };
    }
    // end::http-latency-buckets[]

    private static String resource(String name) throws IOException {
        try (InputStream in = PlainServletApp.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
