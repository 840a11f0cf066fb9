package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's files served from the jar over real sockets: types, headers, no listing, no traversal. */
class DashboardAssetsIT {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.ofDefaults());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void pageIsServedWithAStrictPolicyAndNoInlineScript() throws Exception {
        for (String path : List.of("/perf/", "/perf/index.html", "/perf;x/", "/PERF/Index.html")) {
            HttpResponse<String> r = server.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/html"));
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                    "default-src 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
            String body = r.body();
            assertThat(body).contains("<script src=\"dashboard.js\"", "<script src=\"vendor/uplot.iife.min.js\"")
                    .doesNotContain("http://", "https://", "onclick=", "onload=", "style=\"");
            // Every script element loads a file: no inline script anywhere.
            assertThat(body.split("<script", -1).length - 1).isEqualTo(body.split("<script src=", -1).length - 1);
        }
    }

    @Test
    void withoutTrailingSlashTheBasePathRedirectsToThePage() throws Exception {
        HttpResponse<String> r = server.get("/perf");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains("/perf/");
    }

    @Test
    void scriptsStylesAndTheChartLibraryComeFromTheJar() throws Exception {
        String[][] cases = {
            {"/perf/dashboard.js", "text/javascript", "EventSource"},
            {"/perf/dashboard.css", "text/css", ".card"},
            {"/perf/vendor/uplot.iife.min.js", "text/javascript", "uPlot"},
            {"/perf/vendor/uplot.min.css", "text/css", ".uplot"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = server.get(c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).as(c[0]).startsWith(c[1]);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(r.body()).as(c[0]).contains(c[2]);
        }
        // The page's script never turns server data into HTML.
        assertThat(server.get("/perf/dashboard.js").body()).doesNotContain("innerHTML", "outerHTML",
                "insertAdjacentHTML", "document.write", "eval(");
    }

    @Test
    void noDirectoryListingAndNoPathToOtherResources() throws Exception {
        for (String path : List.of("/perf/vendor/", "/perf/vendor", "/perf/META-INF/resources/perfkit/index.html",
                "/perf/%2e%2e/%2e%2e/etc/passwd", "/perf/vendor/..%2f..%2fpom.xml",
                "/perf/dashboard.js/..%2f..%2flogback-test.xml", "/perf/io/github/perfkit/servlet/PerfFilter.class",
                "/perf/webjars/uplot/1.6.30/dist/uPlot.iife.js", "/perf/vendor/uPlot.esm.js")) {
            HttpResponse<String> r = server.get(path);
            assertThat(r.statusCode()).as(path).isIn(404, 400);
            assertThat(r.body()).as(path).doesNotContain("root:", "<project", "uPlot", "<configuration");
        }
    }

    @Test
    void thePageFollowsTheEndpointsAccessRules() throws Exception {
        // 127.0.0.1 is a trusted proxy here: X-Forwarded-For names a remote client.
        try (TestServer guarded = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.builder()
                .trustedProxy("127.0.0.1").bearerToken("s3cret-token-for-the-page").build())) {
            for (String path : List.of("/perf/", "/perf/index.html", "/perf/dashboard.js", "/perf/vendor/uplot.iife.min.js",
                    "/PERF/Dashboard.JS", "/perf;x/index.html")) {
                HttpResponse<String> denied = guarded.get(path, "X-Forwarded-For", "203.0.113.7");
                assertThat(denied.statusCode()).as(path).isEqualTo(401);
                assertThat(denied.body()).as(path).doesNotContain("<html", "uPlot", "EventSource");
                HttpResponse<String> ok = guarded.get(path, "X-Forwarded-For", "203.0.113.7",
                        "Authorization", "Bearer s3cret-token-for-the-page");
                assertThat(ok.statusCode()).as(path).isEqualTo(200);
            }
        }
    }

    @Test
    void assetsAreReadOnly() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> r = server.send(method, "/perf/dashboard.js", "x");
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD");
        }
    }
}
