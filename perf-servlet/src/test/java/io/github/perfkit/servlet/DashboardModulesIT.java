package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.Silence;
import io.github.perfkit.alerts.ThresholdRule;
import io.github.perfkit.core.spi.StatusContributor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard's module panels in real headless Chromium: a real {@link AlertEngine} whose alert
 * fires, shows, is acknowledged and silenced by clicks (POST + CSRF token), and resolves into the
 * history; the cache card and per-level table; the WebSocket panel.
 */
class DashboardModulesIT {

    private static final String RULE = "queue-depth-high";
    private static final String METRIC = "test.queue.depth";
    /** A tag value that would run script if the page rendered the alert's subject as HTML. */
    private static final String MARKUP = "<img src=x onerror=\"window.__pwned='alert'\">";
    private static final Path SCREENSHOT = Path.of("target", "dashboard-modules.png");

    /** What the fake cache section was asked to invalidate ("cache pattern"). */
    static final List<String> CACHE_INVALIDATIONS = new CopyOnWriteArrayList<>();

    private static TestServer server;
    private static AlertEngine engine;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.ofDefaults());
        engine = AlertEngine.builder().history(server.perf.history()).clock(server.perf.clock())
                .rules(ThresholdRule.builder(RULE).metric(METRIC).threshold(100).level(AlertLevel.CRITICAL).build())
                .build();
        server.perf.register(new AlertsSection(engine));
        MeterRegistry r = server.registry();
        registerCache(server.perf);
        AtomicInteger open = new AtomicInteger(3);
        Gauge.builder(MetricNames.WEBSOCKET_CONNECTIONS_ACTIVE, open, AtomicInteger::get).tag("channel", "/chat").register(r);
        Counter.builder(MetricNames.WEBSOCKET_MESSAGES).tags("channel", "/chat", "direction", "in").register(r).increment(42);
        for (int i = 0; i < 5; i++) {
            assertThat(server.get("/users/" + i).statusCode()).isEqualTo(200);
        }
        assertThat(server.get("/missing").statusCode()).isEqualTo(404);
        browser = new Browser(1400, 2400);
        browser.driver.get("http://127.0.0.1:" + server.port + "/perf/");
    }

    /** The cache module's section and meters (shapes of perf-cache's CacheStatusContributor and MetricNames). */
    static void registerCache(io.github.perfkit.core.Perf perf) {
        MeterRegistry r = perf.registry();
        Map<String, Object> users = new LinkedHashMap<>();
        users.put("l1HitRatio", 0.9);
        users.put("l2HitRatio", 0.5);
        users.put("l1Size", 120);
        users.put("loads", 50);
        users.put("loadFailures", 1);
        perf.register(new StatusContributor() {
            @Override
            public String name() {
                return "cache";
            }

            @Override
            public Map<String, Object> status() {
                return Map.of("l2", "closed", "caches", Map.of("users", users));
            }

            @Override
            public Set<String> actions() {
                return Set.of("invalidate");
            }

            @Override
            public Map<String, Object> act(String action, Map<String, String> params) {
                // perf-cache's contract: cache and pattern required, IllegalArgumentException naming the parameter.
                if (!"invalidate".equals(action)) {
                    throw new UnsupportedOperationException("section 'cache' has no action '" + action + "'");
                }
                String cache = params.get("cache");
                if (!"users".equals(cache)) {
                    throw new IllegalArgumentException("parameter 'cache': no cache named '" + cache + "'");
                }
                String pattern = params.get("pattern");
                if (pattern == null || pattern.isBlank() || pattern.contains(" ")) {
                    throw new IllegalArgumentException("parameter 'pattern': no spaces in a key pattern");
                }
                CACHE_INVALIDATIONS.add(cache + " " + pattern);
                return Map.of("action", "invalidate", "cache", cache, "pattern", pattern, "l2KeysRemoved", 3);
            }
        });
        Counter.builder("perfkit.cache.gets").tags("cache", "users", "level", "l1", "result", "hit").register(r).increment(900);
        Counter.builder("perfkit.cache.gets").tags("cache", "users", "level", "l1", "result", "miss").register(r).increment(100);
        Counter.builder("perfkit.cache.gets").tags("cache", "users", "level", "l2", "result", "hit").register(r).increment(50);
        Counter.builder("perfkit.cache.gets").tags("cache", "users", "level", "l2", "result", "miss").register(r).increment(50);
        Counter.builder("perfkit.cache.evictions").tags("cache", "users", "cause", "size").register(r).increment(7);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    private static void record(double value) {
        server.perf.history().record(METRIC, Tags.of("queue", MARKUP), server.perf.clock().wallTime(), value);
    }

    private static String text(String id) {
        return browser.driver.findElement(By.id(id)).getText();
    }

    @Test
    void anAlertShowsAfterItFiresAndIsAcknowledgedSilencedAndResolvedFromThePage() throws Exception {
        var await = browser.await();
        await.withMessage("the alerts panel shows, empty").until(d -> d.findElement(By.id("panel-alerts")).isDisplayed()
                && d.findElement(By.id("alerts-empty")).isDisplayed());
        await.until(d -> text("card-alerts-value").equals("0"));
        assertThat(browser.driver.findElement(By.id("card-alerts")).getAttribute("class")).isEqualTo("card ok");

        record(500);
        engine.evaluate();
        assertThat(engine.activeAlerts()).hasSize(1);
        AlertEvent fired = engine.activeAlerts().get(0);
        By row = By.cssSelector("#alerts tr[data-alert-id]");
        await.withMessage("the firing alert is listed").until(d -> d.findElements(row).size() == 1
                && d.findElement(row).getText().contains(RULE));
        WebElement level = browser.driver.findElement(By.cssSelector("#alerts tr[data-alert-id] .level"));
        assertThat(level.getText()).isEqualToIgnoringCase("critical");
        assertThat(level.getAttribute("class")).contains("level-critical");
        assertThat(browser.driver.findElement(row).getAttribute("data-alert-id")).isEqualTo(fired.id());
        // The subject (from a tag value with markup) shows as text and runs nothing.
        assertThat(browser.texts("#alerts .alert-subject")).containsExactly(fired.subject());
        assertThat(fired.subject()).contains(MARKUP);
        await.until(d -> text("card-alerts-value").equals("1"));
        assertThat(browser.driver.findElement(By.id("card-alerts")).getAttribute("class")).isEqualTo("card bad");
        assertThat(text("card-alerts-sub")).contains("1 firing");

        browser.driver.findElement(By.cssSelector("#alerts tr[data-alert-id] button.ack")).click();
        browser.await().withMessage(() -> "acknowledged by the dashboard; the page says: " + text("alerts-message"))
                .until(d -> d.findElement(By.cssSelector("#alerts tr[data-alert-id] .alert-ack")).getText()
                        .equals("dashboard"));
        assertThat(engine.activeAlerts().get(0).acknowledgedBy()).isEqualTo("dashboard");
        assertThat(text("alerts-message")).startsWith("Acknowledged " + RULE);
        assertThat(browser.driver.findElements(By.cssSelector("#alerts tr[data-alert-id] button.ack"))).isEmpty();

        browser.driver.findElement(By.cssSelector("#alerts tr[data-alert-id] button.silence")).click();
        assertThat(browser.driver.findElement(By.id("silence-matchers")).getAttribute("value"))
                .isEqualTo("alertname=" + RULE + ",subject=" + fired.subject());
        new Select(browser.driver.findElement(By.id("silence-duration"))).selectByValue("4h");
        browser.driver.findElement(By.id("silence-comment")).sendKeys("draining the queue");
        browser.driver.findElement(By.cssSelector("#silence-form button[type=submit]")).click();
        browser.await(Duration.ofSeconds(30)).withMessage(() -> "the silence was created; the page says: "
                + text("alerts-message")).until(d -> engine.silences().size() == 1);
        Silence silence = engine.silences().get(0);
        assertThat(silence.matchers()).isEqualTo(Map.of("alertname", RULE, "subject", fired.subject()));
        assertThat(silence.comment()).isEqualTo("draining the queue");
        assertThat(Duration.between(Instant.now(), silence.endsAt())).isBetween(Duration.ofMinutes(230),
                Duration.ofHours(4));
        browser.await().withMessage(() -> "one silence shown; the page says: " + text("alerts-summary") + " / "
                + text("conn")).until(d -> text("alerts-summary").contains("1 silences"));

        // Resolved: the alert leaves the active list and shows in the history.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            record(1);
            engine.evaluate();
            return engine.activeAlerts().isEmpty();
        });
        await.withMessage("the resolved alert is in the history").until(d -> d.findElements(row).isEmpty()
                && d.findElement(By.id("alerts-history")).getText().contains(RULE));
        // Either perf-alerts' own event history (FIRING ... RESOLVED events) or the page's record of it.
        assertThat(browser.texts("#alerts-history .alert-state")).contains("RESOLVED");
        await.until(d -> text("card-alerts-value").equals("0"));
        assertThat(browser.js("return typeof window.__pwned;")).isEqualTo("undefined");
    }

    @Test
    void aRefusedActionShowsTheServersMessage() {
        // The page sends what the person typed; the section's IllegalArgumentException comes back as 400.
        var await = browser.await();
        await.until(d -> d.findElement(By.id("silence-form")).isDisplayed());
        WebElement matchers = browser.driver.findElement(By.id("silence-matchers"));
        matchers.clear();
        matchers.sendKeys("no-equals-sign");
        browser.driver.findElement(By.cssSelector("#silence-form button[type=submit]")).click();
        await.until(d -> text("alerts-message").contains("matchers: use key=value"));
        assertThat(browser.driver.findElement(By.id("alerts-message")).getAttribute("class")).contains("bad");
    }

    @Test
    void theCacheCardShowsTheOverallHitRatioAndThePanelEachLevel() {
        var await = browser.await();
        // (900 L1 hits + 50 L2 hits) / 1000 lookups.
        await.withMessage("the cache card shows a ratio").until(d -> text("card-cache-value").equals("95 %"));
        assertThat(browser.driver.findElement(By.id("card-cache")).getAttribute("class")).isEqualTo("card ok");
        assertThat(text("card-cache-sub")).isEqualTo("1 cache, L2 closed");
        await.until(d -> d.findElements(By.cssSelector("#cache tr[data-cache=users]")).size() == 2);
        assertThat(browser.texts("#cache tr[data-level=l1] td")).containsExactly("users", "L1", "900", "100", "90 %",
                "7", "120", "50", "1");
        assertThat(browser.texts("#cache tr[data-level=l2] td")).startsWith("", "L2 (closed)", "50", "50", "50 %");
        assertThat(text("cache-l2")).isEqualTo("L2 closed");
    }

    @Test
    void theCachePanelInvalidatesKeysThroughTheSectionAction() {
        var await = browser.await();
        await.withMessage("the section offers invalidate: the form shows")
                .until(d -> d.findElement(By.id("invalidate-form")).isDisplayed());
        await.until(d -> browser.texts("#invalidate-cache option").equals(List.of("users")));
        WebElement pattern = browser.driver.findElement(By.id("invalidate-pattern"));
        pattern.clear();
        pattern.sendKeys("user:42:*");
        browser.driver.findElement(By.cssSelector("#invalidate-form button[type=submit]")).click();
        await.withMessage("the result is shown").until(d -> text("cache-message")
                .equals("Invalidated user:42:* in users (3 L2 keys removed)"));
        assertThat(CACHE_INVALIDATIONS).as("the POST (with the CSRF token) reached the section")
                .containsExactly("users user:42:*");
        pattern.clear();
        pattern.sendKeys("user 42");
        browser.driver.findElement(By.cssSelector("#invalidate-form button[type=submit]")).click();
        await.withMessage("the section's refusal is shown").until(d -> text("cache-message")
                .equals("invalidate failed: parameter 'pattern': no spaces in a key pattern"));
        assertThat(browser.driver.findElement(By.id("cache-message")).getAttribute("class")).contains("bad");
        assertThat(CACHE_INVALIDATIONS).hasSize(1);
    }

    @Test
    void theWebSocketPanelListsChannelsAndTheEndpointsTableTheRequests() throws Exception {
        var await = browser.await();
        await.until(d -> d.findElement(By.id("panel-websockets")).isDisplayed());
        await.until(d -> browser.texts("#websockets td.ws-channel").contains("/chat"));
        List<String> cells = browser.texts("#websockets tbody tr td");
        assertThat(cells.subList(0, 5)).containsExactly("/chat", "3", "0", "0", "42");
        await.until(d -> browser.texts("#endpoints td.endpoint-uri").contains("/users/{id}"));
        List<String> users = browser.texts("#endpoints tbody tr:first-child td");
        assertThat(users.subList(0, 3)).containsExactly("GET", "/users/{id}", "5");
        assertThat(Double.parseDouble(users.get(5))).as("mean ms").isGreaterThan(0);
        await.until(d -> browser.texts("#endpoints tbody tr").stream().anyMatch(t -> t.contains("NOT_FOUND")
                || t.contains("/missing")));
        Files.createDirectories(SCREENSHOT.getParent());
        browser.screenshot(SCREENSHOT);
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }
}
