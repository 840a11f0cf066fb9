package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Scope;
import io.github.perfkit.core.spi.StatusContributor;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in real headless Chromium (system browser and driver) against an embedded Jetty:
 * what a person sees. A missing browser fails the test, with or without {@code CI=true}.
 */
class DashboardIT {

    /** Values that would run script if the page rendered them as HTML. */
    private static final String SCRIPT_NAME = "<script>window.__pwned='name'</script>";
    private static final String SCRIPT_TAG = "<img src=x onerror=\"window.__pwned='tag'\">";
    private static final String SCRIPT_SECTION = "<script>window.__pwned='section'</script>";
    private static final String SCRIPT_STATE = "<script>window.__pwned='metric'</script>";
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    private static TestServer server;
    private static WebDriver driver;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.builder().version("1.2.3").build());
        server.perf.profiler().setSamplingRate(1.0);
        server.perf.register(new StatusContributor() {
            @Override
            public String name() {
                return "xss-check";
            }

            @Override
            public Map<String, Object> status() {
                return Map.of("note", SCRIPT_SECTION, "entries", 42, "nested", Map.of(SCRIPT_TAG, "value"));
            }
        });
        for (int i = 0; i < 3; i++) {
            assertThat(server.get("/users/" + i).statusCode()).isEqualTo(200);
        }
        assertThat(server.get("/slow").statusCode()).isEqualTo(200);
        try (Scope s = server.perf.tracker().start(SCRIPT_NAME, "kind", SCRIPT_TAG)) {
            s.tag("note", SCRIPT_TAG);
        }
        // Five minutes of CPU history, so the chart has a line to draw; then real samples.
        long now = server.perf.clock().wallTime();
        for (int i = 60; i >= 1; i--) {
            server.perf.history().record("perfkit.system.cpu.usage", Tags.empty(), now - i * 5_000L,
                    0.2 + 0.15 * Math.sin(i / 5.0));
        }
        // A metric series whose tag value is markup: the threads-by-state chart labels a line with it.
        server.perf.history().record("perfkit.jvm.threads.states", Tags.of("state", SCRIPT_STATE), now - 10_000L, 1);
        // Whole-machine CPU is a delta between two samples: tick until the gauge has a value.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    server.perf.tick();
                    var g = server.registry().find("perfkit.system.cpu.usage").gauge();
                    return g != null && Double.isFinite(g.value());
                });

        browser = new Browser(1400, 2000); // the system Chromium; a missing browser fails, never skips
        driver = browser.driver;
        driver.get("http://127.0.0.1:" + server.port + "/perf/");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static WebDriverWait await() {
        // The page re-renders its tables every few seconds: elements found earlier may go stale.
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The texts of the elements a selector matches, read in one script run (never stale). */
    @SuppressWarnings("unchecked")
    private static List<String> texts(String selector) {
        return (List<String>) js("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(function (e) { return e.textContent; });", selector);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Test
    void overviewCardsShowNumbers() {
        for (String card : List.of("cpu", "heap", "threads", "rps", "errors", "p95")) {
            WebElement value = driver.findElement(By.id("card-" + card + "-value"));
            await().withMessage("card " + card + " shows a number")
                    .until(d -> value.getText().matches(".*\\d.*"));
        }
        WebElement threads = driver.findElement(By.id("card-threads-value"));
        assertThat(Integer.parseInt(threads.getText().replace(",", ""))).isGreaterThan(3);
        assertThat(driver.findElement(By.id("card-heap-value")).getText()).matches("[\\d.,]+ (KiB|MiB|GiB)");
        assertThat(driver.findElement(By.id("card-heap-sub")).getText()).matches("[\\d.,]+ % of [\\d.,]+ (MiB|GiB|TiB)");
        await().until(d -> d.findElement(By.id("card-health-value")).getText().matches("UP|DEGRADED|DOWN|UNKNOWN"));
        assertThat(driver.findElement(By.id("card-health")).getAttribute("class")).matches("card (ok|warn|bad)");
        assertThat(driver.findElement(By.id("version")).getText()).isEqualTo("v1.2.3");
        // Without cache and alerts sections (no such module), their cards and panels stay hidden.
        await().until(d -> !d.findElements(By.cssSelector("#sections [data-section=xss-check]")).isEmpty());
        for (String id : List.of("card-cache", "card-alerts", "panel-alerts", "panel-cache", "jump-alerts")) {
            assertThat(driver.findElement(By.id(id)).isDisplayed()).as(id).isFalse();
        }
        await().withMessage("the event stream is connected").until(d -> d.findElement(By.id("conn")).getText()
                .equals("live"));
    }

    @Test
    void cpuChartDrawsItsLine() {
        await().withMessage("the CPU chart got its history").until(d -> {
            String points = d.findElement(By.id("chart-cpu")).getAttribute("data-points");
            return points != null && Integer.parseInt(points) >= 30;
        });
        // Count pixels in the series' stroke colour (#2f6fdf) on the chart canvas: the line was drawn.
        Object drawn = js("var c = document.querySelector('#chart-cpu canvas');"
                + "if (!c) { return -1; }"
                + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;"
                + "for (var i = 0; i < d.length; i += 4) {"
                + "  if (Math.abs(d[i] - 47) < 12 && Math.abs(d[i + 1] - 111) < 12 && Math.abs(d[i + 2] - 223) < 12"
                + "      && d[i + 3] > 200) { n++; } }"
                + "return n;");
        assertThat(((Number) drawn).intValue()).as("stroke-coloured pixels on the CPU chart").isGreaterThan(100);
        assertThat(driver.findElements(By.cssSelector("#charts canvas"))).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void withoutTheEventStreamThePagePolls() throws Exception {
        try (TestServer noStream = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.ofDefaults())) {
            // Take every stream slot, so the page's own stream is refused with 429.
            List<java.io.InputStream> held = new java.util.ArrayList<>();
            for (int i = 0; i < PerfEndpointsServlet.MAX_STREAMS; i++) {
                var r = noStream.client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + noStream.port + "/perf/api/stream?interval=1m")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                assertThat(r.statusCode()).isEqualTo(200);
                held.add(r.body());
            }
            assertThat(noStream.get("/perf/api/stream").statusCode()).isEqualTo(429);
            String original = driver.getWindowHandle();
            driver.switchTo().newWindow(WindowType.TAB);
            try {
                driver.get("http://127.0.0.1:" + noStream.port + "/perf/");
                await().withMessage("the refused stream falls back to polling").until(d -> d.findElement(By.id("conn"))
                        .getText().equals("polling"));
                assertThat(driver.findElements(By.cssSelector("#operations td.op-name"))).isEmpty();
                assertThat(noStream.get("/users/7").statusCode()).isEqualTo(200);
                await().withMessage("a poll shows the new operation").until(d -> d.findElements(
                        By.cssSelector("#operations td.op-name")).stream().anyMatch(e -> e.getText().equals("db.query")));
                await().until(d -> d.findElement(By.id("card-threads-value")).getText().matches("\\d+"));
            } finally {
                driver.close();
                driver.switchTo().window(original);
                for (java.io.InputStream in : held) {
                    in.close();
                }
            }
        }
    }

    @Test
    void groupedChartsDrawOneLinePerTagValue() {
        await().withMessage("threads by state has a line per state").until(d -> {
            String legend = d.findElement(By.cssSelector("#chart-states .u-legend")).getText();
            return legend.contains("runnable") && legend.contains("waiting");
        });
        assertThat(driver.findElements(By.cssSelector("#chart-states .u-legend .u-series")).size())
                .as("x series + one per state").isGreaterThanOrEqualTo(3);
        await().until(d -> d.findElement(By.cssSelector("#chart-pools .u-legend")).getText().matches("(?s).*\\S+.*"));
    }

    @Test
    void timeRangeSelectorRequeriesTheHistory() {
        Select range = new Select(driver.findElement(By.id("range")));
        try {
            range.selectByValue("7d");
            await().withMessage("the charts show 7 days").until(d -> "7d".equals(
                    d.findElement(By.id("chart-cpu")).getAttribute("data-range")));
            // 30-minute steps: the five recorded minutes fall into one or two buckets.
            int points = Integer.parseInt(driver.findElement(By.id("chart-cpu")).getAttribute("data-points"));
            assertThat(points).isBetween(1, 3);
        } finally {
            range.selectByValue("5m");
            await().until(d -> "5m".equals(d.findElement(By.id("chart-cpu")).getAttribute("data-range")));
        }
    }

    @Test
    void requestRateCardFollowsTheLiveStreamAndTheToggleStopsIt() throws Exception {
        WebElement rps = driver.findElement(By.id("card-rps-value"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        boolean moved = false;
        while (!moved && System.nanoTime() < deadline) {
            for (int i = 0; i < 10; i++) {
                assertThat(server.get("/users/live" + i).statusCode()).isEqualTo(200);
            }
            moved = rps.getText().matches(".*[1-9].*");
        }
        assertThat(moved).as("req/s card moved above zero from the event stream: " + rps.getText()).isTrue();
        WebElement live = driver.findElement(By.id("live"));
        try {
            live.click();
            await().until(d -> d.findElement(By.id("conn")).getText().equals("paused"));
            String updated = driver.findElement(By.id("updated")).getText();
            // Paused: no stream event updates the page (events come every 2 s while live).
            org.awaitility.Awaitility.await().during(Duration.ofMillis(4500)).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> driver.findElement(By.id("updated")).getText().equals(updated));
        } finally {
            if (!live.isSelected()) {
                live.click();
            }
            await().until(d -> d.findElement(By.id("conn")).getText().equals("live"));
        }
    }

    @Test
    void operationsTableListsTrackedOperationsAndSorts() {
        await().withMessage("db.query is listed").until(d -> d.findElements(By.cssSelector("#operations td.op-name"))
                .stream().anyMatch(e -> e.getText().equals("db.query")));
        WebElement nameHeader = driver.findElement(By.cssSelector("#operations th[data-key=name]"));
        nameHeader.click();
        List<String> names = texts("#operations td.op-name");
        assertThat(names).isSortedAccordingTo(String::compareTo).contains("slow.step", "db.query");
        assertThat(nameHeader.getAttribute("class")).contains("sorted-asc");
        nameHeader.click();
        assertThat(texts("#operations td.op-name")).isSortedAccordingTo(Comparator.reverseOrder())
                .containsExactlyInAnyOrderElementsOf(names);
        driver.findElement(By.cssSelector("#operations th[data-key=count]")).click();
        assertThat(texts("#operations td:nth-child(3)").stream().map(t -> Long.parseLong(t.replace(",", ""))).toList())
                .as("counts, highest first").isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void slowRequestTreeExpandsOnClick() {
        await().withMessage("the slow request is listed").until(d -> d.findElements(
                By.cssSelector("#slow .slow-request button")).stream().anyMatch(b -> b.getText().contains("GET")));
        // The slowest request (listed first) is GET /slow, whose tree holds the slow.step scope.
        By first = By.cssSelector("#slow .slow-request:first-child");
        await().until(d -> !d.findElement(first).findElement(By.cssSelector("ul.profile-tree")).isDisplayed());
        await().until(d -> {
            d.findElement(first).findElement(By.tagName("button")).click();
            return true;
        });
        await().withMessage("the tree expanded").until(d -> {
            WebElement tree = d.findElement(first).findElement(By.cssSelector("ul.profile-tree"));
            return tree.isDisplayed() && tree.getText().contains("slow.step");
        });
        assertThat(texts("#slow .slow-request:first-child ul.profile-tree .dur")).anyMatch(
                t -> t.matches("\\d+(\\.\\d+)? ms"));
        assertThat(driver.findElement(first).findElement(By.tagName("button")).getAttribute("aria-expanded"))
                .isEqualTo("true");
    }

    @Test
    void valuesContainingMarkupShowAsTextAndNoScriptRuns() throws Exception {
        await().withMessage("the operation named like a script tag is listed as text").until(d -> d.findElements(
                By.cssSelector("#operations td.op-name")).stream().anyMatch(e -> e.getText().equals(SCRIPT_NAME)));
        assertThat(driver.findElement(By.id("operations")).getText()).contains("kind=" + SCRIPT_TAG);
        await().withMessage("the section value shows as text").until(d -> d.findElement(By.id("sections")).getText()
                .contains(SCRIPT_SECTION));
        assertThat(driver.findElement(By.id("sections")).getText()).contains(SCRIPT_TAG, "xss-check");
        await().withMessage("the metric's tag value labels a chart line as text").until(d -> d.findElement(
                By.cssSelector("#chart-states .u-legend")).getText().contains(SCRIPT_STATE));
        assertThat(js("return typeof window.__pwned;")).isEqualTo("undefined");
        assertThat(((Number) js("return document.scripts.length;")).intValue()).as("only the two page scripts")
                .isEqualTo(2);
        assertThat(((Number) js("return document.querySelectorAll('img').length;")).intValue()).isZero();
        // Screenshot of the whole page once everything has rendered.
        await().until(d -> !d.findElements(By.cssSelector("#slow .slow-request")).isEmpty());
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
                StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }
}
