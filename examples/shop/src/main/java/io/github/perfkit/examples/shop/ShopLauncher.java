package io.github.perfkit.examples.shop;

import io.github.perfkit.examples.load.LoadGenerator;
import io.github.perfkit.examples.load.LoadResult;
import io.github.perfkit.examples.load.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The demo: starts the shop with every problem on ({@code shop.problems=all} unless given), then the load
 * generator against it (open model, {@code shop.load.rate} req/s, default {@value #DEFAULT_RATE}) and a few
 * WebSocket clients on {@code /ws/stocks}, and logs the dashboard URL. Ctrl-C stops everything.
 *
 * <p>Properties (as {@code --name=value} arguments): {@code shop.load.enabled} (true), {@code shop.load.rate},
 * {@code shop.load.concurrency} (16), {@code shop.load.websockets} (3), plus every Spring Boot and Perfkit property.
 *
 * <p>Thread-safety: not applicable (a program entry point).
 */
public final class ShopLauncher {

    /** Default requests per second of the demo load: enough to show every problem, light on a laptop. */
    public static final int DEFAULT_RATE = 25;

    private static final Logger LOG = LoggerFactory.getLogger(ShopLauncher.class);

    private ShopLauncher() {
    }

    /**
     * Starts the shop, the load and the WebSocket clients.
     *
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ShopApplication.class);
        app.setDefaultProperties(Map.of("shop.problems", "all"));
        ConfigurableApplicationContext context = app.run(args);
        Environment env = context.getEnvironment();
        String port = env.getProperty("local.server.port", "8080");
        String base = "http://localhost:" + port;
        LOG.info("""

                =====================================================================
                  Perfkit dashboard:  {}/perf/
                  Shop problems:      {}/admin/problems  (all on; switch one off with
                                      curl -X POST {}/admin/problems/n-plus-one/off)
                  Ctrl-C stops the shop and the load.
                =====================================================================""", base, base, base);
        if (!env.getProperty("shop.load.enabled", Boolean.class, true)) {
            return;
        }
        List<WebSocket> sockets = openWebSockets(port, env.getProperty("shop.load.websockets", Integer.class, 3));
        LoadGenerator load = LoadGenerator.builder()
                .targets(targets(base, env.getProperty("shop.seed.products", Integer.class, ShopApplication.DEFAULT_PRODUCTS),
                        env.getProperty("shop.seed.users", Integer.class, ShopApplication.DEFAULT_USERS),
                        env.getProperty("shop.seed.orders-per-user", Integer.class, ShopApplication.DEFAULT_ORDERS_PER_USER)))
                .rate(env.getProperty("shop.load.rate", Double.class, (double) DEFAULT_RATE))
                .concurrency(env.getProperty("shop.load.concurrency", Integer.class, 16))
                .duration(Duration.ZERO)
                .progressInterval(Duration.ofSeconds(10))
                .onProgress(p -> LOG.info("load {}", p.line()))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            load.stop();
            sockets.forEach(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
        }, "shop-launcher-shutdown"));
        Thread runner = new Thread(() -> {
            LoadResult result = load.run();
            LOG.info("load stopped:\n{}", result.summary());
        }, "shop-load");
        runner.setDaemon(true);
        runner.start();
    }

    /**
     * The demo's request mix: every endpoint, weighted so that each problem shows within a minute or two.
     *
     * @param base the shop's base URL
     * @param products products seeded
     * @param users users seeded
     * @param ordersPerUser orders per user seeded
     * @return the targets
     */
    public static List<Target> targets(String base, int products, int users, int ordersPerUser) {
        String p = "{1.." + products + "}";
        String u = "{1.." + users + "}";
        return List.of(
                Target.parse("10*" + base + "/api/products/" + p),
                Target.parse("1*" + base + "/api/products/search?q=model-{1..500}"),
                Target.parse("4*" + base + "/api/users/" + u + "/orders"),
                Target.parse("2*" + base + "/api/users/" + u + "/orders/batched"),
                Target.parse("3*" + base + "/api/products/" + p + "/recommendations"),
                Target.parse("3*POST " + base + "/api/inventory/" + p + "/reserve"),
                Target.parse("1*" + base + "/api/orders/{1.." + (long) users * ordersPerUser + "}/track"),
                Target.parse("2*" + base + "/api/reports/sales?category=books"),
                Target.parse("2*" + base + "/api/reports/sales/cached?category=garden"));
    }

    private static List<WebSocket> openWebSockets(String port, int count) {
        List<WebSocket> sockets = new ArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        AtomicLong received = new AtomicLong();
        for (int i = 0; i < count; i++) {
            try {
                sockets.add(client.newWebSocketBuilder()
                        .buildAsync(URI.create("ws://localhost:" + port + "/ws/stocks"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                received.incrementAndGet();
                                ws.request(1);
                                return null;
                            }
                        })
                        .get(10, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("WebSocket client could not connect to /ws/stocks", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.info("{} WebSocket clients follow /ws/stocks", sockets.size());
        return sockets;
    }
}
