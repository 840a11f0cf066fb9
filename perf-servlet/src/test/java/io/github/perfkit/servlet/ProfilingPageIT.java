package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.OrderRepository;
import io.github.perfkit.core.Scope;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.findings.FindingCategory;
import io.github.perfkit.core.jdbc.JdbcConfig;
import io.github.perfkit.core.jdbc.PerfDataSource;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The profiling page in real headless Chromium against an embedded Jetty: a recording of a CPU-burning
 * thread is started from the page and drawn as a flame graph that zooms and searches; findings, threads,
 * heap and SQL panels render server values as text. A missing browser fails the test.
 */
class ProfilingPageIT {

    private static final String SCRIPT_CULPRIT = "<script>window.__pwned='culprit'</script>";
    private static final String SCRIPT_EVIDENCE = "<img src=x onerror=\"window.__pwned='evidence'\">";
    private static final String N_PLUS_ONE_SHAPE = "select total from orders where customer_id = ?";

    private static TestServer server;
    private static WebDriver driver;
    private static Browser browser;
    private static Connection keepDb;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.ofDefaults());
        Instant now = Instant.now();
        server.perf.diagnosis().report(new Finding(Finding.idOf(FindingCategory.LOCK_CONTENTION, SCRIPT_CULPRIT, null),
                FindingCategory.LOCK_CONTENTION, SCRIPT_CULPRIT, "GET /orders",
                Map.of("waitShare", 0.31, "monitor", SCRIPT_EVIDENCE), List.of(SCRIPT_CULPRIT, "com.shop.Orders.place"),
                now, now, "Threads wait 31 % of the time on one monitor held in " + SCRIPT_CULPRIT, true));

        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:perfkit-profiling-page;DB_CLOSE_DELAY=-1");
        keepDb = h2.getConnection();
        try (Statement s = keepDb.createStatement()) {
            s.execute("create table customers (id int primary key, name varchar(64))");
            s.execute("create table orders (id int primary key, customer_id int, total int)");
            for (int c = 1; c <= 12; c++) {
                s.execute("insert into customers values (" + c + ", 'c" + c + "')");
                s.execute("insert into orders values (" + c + ", " + c + ", 10)");
            }
        }
        PerfDataSource ds = PerfDataSource.wrap(h2, server.perf, JdbcConfig.builder().name("shop").nPlusOneThreshold(5)
                .build());
        server.perf.register(ds.statusContributor());
        server.perf.profiler().setSamplingRate(1.0);
        try (Scope request = server.perf.profiler().request("GET /customers")) {
            OrderRepository.totalsOneByOne(ds);
        }

        browser = new Browser(1400, 2000); // the system Chromium; a missing browser fails, never skips
        driver = browser.driver;
        driver.get("http://127.0.0.1:" + server.port + "/perf/profiling.html");
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
            if (keepDb != null) {
                try (Statement s = keepDb.createStatement()) {
                    s.execute("drop all objects");
                }
                keepDb.close();
            }
        }
    }

    private static WebDriverWait await(int seconds) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Pixels of the flame graph canvas that are drawn (any colour) or of one colour. */
    private static int pixels(String hex) {
        Object n = js("var c = document.getElementById('fg-canvas');"
                + "if (!c || c.width === 0 || c.height === 0) { return 0; }"
                + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0, h = arguments[0];"
                + "var r = h ? parseInt(h.substr(1, 2), 16) : 0, g = h ? parseInt(h.substr(3, 2), 16) : 0,"
                + "    b = h ? parseInt(h.substr(5, 2), 16) : 0;"
                + "for (var i = 0; i < d.length; i += 4) {"
                + "  if (d[i + 3] < 200) { continue; }"
                + "  if (!h || (Math.abs(d[i] - r) < 6 && Math.abs(d[i + 1] - g) < 6 && Math.abs(d[i + 2] - b) < 6)) { n++; }"
                + "}"
                + "return n;", hex);
        return ((Number) n).intValue();
    }

    /** Clicks a button after scrolling it to the middle of the window, clear of the sticky header. */
    private static void click(String id) {
        WebElement e = driver.findElement(By.id(id));
        js("arguments[0].scrollIntoView({block: 'center'});", e);
        e.click();
    }

    /** Whether profile {@code id} is the selected one, drawn, and its top functions name the burner. */
    private static boolean drawn(String id) {
        WebElement canvas = driver.findElement(By.id("fg-canvas"));
        return id.equals(js("return document.getElementById('rec-list').value;"))
                && id.equals(canvas.getAttribute("data-profile"))
                && Integer.parseInt(canvas.getAttribute("data-frames")) > 3
                && id.equals(driver.findElement(By.id("top-functions")).getAttribute("data-profile"))
                && driver.findElements(By.cssSelector("#top-functions td.mono")).stream()
                        .anyMatch(e -> e.getText().endsWith("Burner.burnCpu"));
    }

    @Test
    void theCanvasIsServedUnderThePagePolicyAndTheScriptWritesNoHtml() throws Exception {
        HttpResponse<String> page = server.get("/perf/profiling.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(PerfEndpointsServlet.PAGE_CSP);
        assertThat(page.body()).contains("<script src=\"profiling.js\" defer></script>").doesNotContain("<script>");
        String script = server.get("/perf/profiling.js").body();
        assertThat(script).contains("textContent").doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML",
                "document.write", "eval(", "new Function");
        assertThat(server.get("/perf/profiling.css").headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(server.get("/perf/").body()).contains("href=\"profiling.html\"");
    }

    @Test
    void aRecordingStartedFromThePageIsDrawnAndZoomsAndSearches() throws Exception {
        WebElement canvas = driver.findElement(By.id("fg-canvas"));
        try (Burner burner = new Burner()) {
            WebElement duration = driver.findElement(By.id("rec-duration"));
            duration.clear();
            duration.sendKeys("2s");
            await(10).until(d -> d.findElement(By.id("rec-start")).isEnabled());
            click("rec-start");
            await(10).withMessage("the page shows the running recording").until(d -> d.findElement(By.id("rec-status"))
                    .getText().matches("recording \\d+ until .*"));
            String id = driver.findElement(By.id("rec-status")).getText().replaceAll("recording (\\d+) until .*", "$1");
            await(45).withMessage("the finished recording is drawn").until(d -> drawn(id));
        }
        assertThat(canvas.getAttribute("data-root")).isEqualTo("all");
        assertThat(server.get("/perf/api/profiling/recordings").body()).contains("\"durationMillis\":2000");
        assertThat(pixels(null)).as("drawn pixels on the flame graph").isGreaterThan(2_000);
        assertThat(driver.findElement(By.id("rec-download")).getAttribute("href"))
                .contains("api/profiling/recordings/download?id=");

        // Click the second row in the middle: the widest frame under "all" becomes the zoomed root.
        js("arguments[0].scrollIntoView({block: 'center'});", canvas);
        int height = canvas.getSize().getHeight();
        new Actions(driver).moveToElement(canvas, 0, (int) (1.5 * 18) - height / 2).click().perform();
        await(5).withMessage("the click zoomed in").until(d -> !"all".equals(canvas.getAttribute("data-root")));
        assertThat(driver.findElement(By.id("fg-zoom")).getText()).startsWith("zoomed on "
                + canvas.getAttribute("data-root"));
        click("fg-reset");
        await(5).until(d -> "all".equals(canvas.getAttribute("data-root")));
        assertThat(driver.findElement(By.id("fg-zoom")).getText()).isEmpty();

        // Search: matching frames turn magenta and the matched share is shown.
        assertThat(pixels("#e040fb")).isZero();
        driver.findElement(By.id("fg-search")).sendKeys("burnCpu");
        await(5).until(d -> d.findElement(By.id("fg-match")).getText().contains("% of samples"));
        String match = driver.findElement(By.id("fg-match")).getText();
        double share = Double.parseDouble(match.replaceAll(".*match, ([0-9.]+) % of samples.*", "$1"));
        assertThat(share).as(match).isGreaterThan(10).isLessThanOrEqualTo(100);
        assertThat(pixels("#e040fb")).as("highlighted pixels").isGreaterThan(100);
        driver.findElement(By.id("fg-search")).clear();
        js("document.getElementById('fg-search').dispatchEvent(new Event('input'));");
        await(5).until(d -> d.findElement(By.id("fg-match")).getText().isEmpty());
    }

    @Test
    void findingsThreadsHeapAndSqlShowServerValuesAsText() {
        await(20).withMessage("the finding is listed with its culprit as text").until(d -> d.findElements(
                By.cssSelector("#findings .culprit")).stream().anyMatch(e -> e.getText().equals(SCRIPT_CULPRIT)));
        WebElement finding = driver.findElements(By.cssSelector("#findings .finding")).stream().filter(f -> f
                .findElement(By.cssSelector(".culprit")).getText().equals(SCRIPT_CULPRIT)).findFirst().orElseThrow();
        // The N+1 loop is a finding too, reported by the JDBC wrapper with its call site.
        // (the category label's case depends on the shared stylesheet)
        assertThat(driver.findElement(By.id("findings")).getText()).containsIgnoringCase("n plus one")
                .contains("com.example.shop.OrderRepository.totalsOneByOne");
        assertThat(finding.findElement(By.cssSelector(".recommendation")).getText()).contains("31 %", SCRIPT_CULPRIT);
        assertThat(finding.findElement(By.cssSelector(".evidence")).getText()).contains("monitor", SCRIPT_EVIDENCE,
                "waitShare");
        assertThat(finding.getText()).containsIgnoringCase("lock contention").contains("on GET /orders");

        await(20).until(d -> d.findElements(By.cssSelector("#thread-states tbody tr")).size() >= 6);
        assertThat(driver.findElement(By.id("thread-states")).getText()).contains("runnable", "waiting");
        assertThat(driver.findElement(By.id("deadlocks")).getText()).contains("No deadlock.");
        WebElement stateSelect = driver.findElement(By.id("threads-state"));
        js("arguments[0].scrollIntoView({block: 'center'});", stateSelect);
        new org.openqa.selenium.support.ui.Select(stateSelect).selectByValue("timed_waiting");
        await(20).withMessage("the dump lists timed-waiting threads").until(d -> {
            List<WebElement> items = d.findElements(By.cssSelector("#thread-list details summary"));
            return !items.isEmpty() && items.stream().allMatch(e -> e.getText().contains("(timed_waiting)"));
        });
        WebElement first = driver.findElement(By.cssSelector("#thread-list details summary"));
        js("arguments[0].scrollIntoView({block: 'center'});", first);
        first.click();
        await(5).until(d -> d.findElement(By.cssSelector("#thread-list details .stack")).isDisplayed()
                && d.findElement(By.cssSelector("#thread-list details .stack")).getText().contains("."));

        await(20).withMessage("the N+1 statement is flagged").until(d -> d.findElements(
                By.cssSelector("#jdbc table.statements tr")).stream().anyMatch(tr -> tr.getText().contains(
                        N_PLUS_ONE_SHAPE) && !tr.findElements(By.cssSelector(".n-plus-one")).isEmpty()));
        assertThat(driver.findElement(By.id("jdbc")).getText()).contains("com.example.shop.OrderRepository.totalsOneByOne");

        click("heap-snapshot");
        await(30).withMessage("the heap histogram is shown").until(d -> d.findElements(
                By.cssSelector("#heap-classes tbody td.mono")).size() > 5);

        assertThat(js("return typeof window.__pwned;")).isEqualTo("undefined");
        assertThat(((Number) js("return document.querySelectorAll('img').length;")).intValue()).isZero();
        assertThat(((Number) js("return document.scripts.length;")).intValue()).isEqualTo(1);
    }

    @Test
    void anUploadedRecordingIsAnalysedDrawnAndComparedWithTheBaseline() throws Exception {
        Path file = Files.createTempFile("perfkit-page-", ".jfr");
        try {
            try (Burner burner = new Burner(); jdk.jfr.Recording rec = new jdk.jfr.Recording()) {
                rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
                rec.start();
                org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
                rec.stop();
                rec.dump(file);
            }
            driver.findElement(By.id("upload-file")).sendKeys(file.toAbsolutePath().toString());
            await(30).withMessage("the upload is analysed").until(d -> d.findElement(By.id("rec-status")).getText()
                    .matches("analysed .* as u\\d+"));
            String id = driver.findElement(By.id("rec-status")).getText().replaceAll(".* as ", "");
            await(20).withMessage("the upload is drawn and listed").until(d -> drawn(id));
            click("baseline-save");
            await(20).withMessage("the comparison with itself is shown").until(d -> d.findElement(By.id("compare"))
                    .getText().contains("Profile " + id + " against baseline " + id + ": no change"));
            assertThat(driver.findElement(By.id("baseline-info")).getText()).isEqualTo("baseline: " + id);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @org.junit.jupiter.api.AfterEach
    void screenshot(org.junit.jupiter.api.TestInfo test) throws IOException {
        Path shot = Path.of("target", "profiling-" + test.getTestMethod().map(m -> m.getName()).orElse("page") + ".png");
        browser.screenshot(shot);
    }

    @Test
    void aFileThatIsNotAFlightRecordingIsRefusedWithTheServersMessage() throws Exception {
        Path notJfr = Files.createTempFile("not-a-recording", ".jfr");
        try {
            Files.writeString(notJfr, "hello, I am text", StandardCharsets.UTF_8);
            driver.findElement(By.id("upload-file")).sendKeys(notJfr.toAbsolutePath().toString());
            await(20).withMessage("the refusal is shown").until(d -> d.findElement(By.id("rec-status")).getText()
                    .contains("not a JFR recording"));
            assertThat(driver.findElement(By.id("rec-status")).getAttribute("class")).isEqualTo("error");
        } finally {
            Files.deleteIfExists(notJfr);
        }
    }
}
