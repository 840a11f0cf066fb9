package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access control over real sockets. The test client is always on loopback, so a trusted proxy on
 * 127.0.0.1 stands in for a remote client: its {@code X-Forwarded-For} names the real client.
 */
class AccessIT {

    private static final String TOKEN = "0123456789abcdef-secret";
    private static TestServer withToken;
    private static TestServer withoutToken;

    @BeforeAll
    static void start() throws Exception {
        withToken = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.builder()
                .trustedProxy("127.0.0.1").bearerToken(TOKEN).build());
        withoutToken = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.builder()
                .authorizer(req -> "yes".equals(req.getHeader("X-Test-Authorized"))).build());
    }

    @AfterAll
    static void stop() throws Exception {
        withToken.close();
        withoutToken.close();
    }

    @Test
    void loopbackClientsAreServed() throws Exception {
        assertThat(withToken.get("/perf/health").statusCode()).isEqualTo(200);
        assertThat(withoutToken.get("/perf/health").statusCode()).isEqualTo(200);
    }

    @Test
    void remoteClientsBehindATrustedProxyNeedTheToken() throws Exception {
        for (String path : List.of("/perf/metrics", "/perf/status", "/perf/nothing", "/PERF/metrics",
                "/perf;x/metrics", "/%70erf/metrics", "/perf/./metrics", "//perf/metrics", "/perf//metrics",
                "/x/..;/perf/metrics", "/perf%2Fmetrics", "/x/%2e%2e/perf/metrics")) {
            HttpResponse<String> denied = withToken.get(path, "X-Forwarded-For", "203.0.113.7");
            assertThat(denied.statusCode()).as(path).isEqualTo(401);
            assertThat(denied.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(denied.body()).doesNotContain("perfkit_").doesNotContain("jvm");
            HttpResponse<String> wrong = withToken.get(path, "X-Forwarded-For", "203.0.113.7",
                    "Authorization", "Bearer " + TOKEN + "x");
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> ok = withToken.get("/perf/metrics", "X-Forwarded-For", "203.0.113.7",
                "Authorization", "Bearer " + TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("perfkit_");
        // A client-supplied loopback hop to the left of the real client changes nothing.
        assertThat(withToken.get("/perf/status", "X-Forwarded-For", "127.0.0.1, 203.0.113.7").statusCode())
                .isEqualTo(401);
    }

    @Test
    void probesAnswerRemoteClientsWithTheStatusAloneUnlessSwitchedOff() throws Exception {
        for (String path : List.of("/perf/health", "/perf/ready")) {
            HttpResponse<String> probe = withToken.get(path, "X-Forwarded-For", "203.0.113.7");
            assertThat(probe.statusCode()).as(path).isEqualTo(200);
            assertThat(probe.body()).as(path).isEqualTo("{\"status\":\"UP\"}");
            HttpResponse<String> full = withToken.get(path, "X-Forwarded-For", "203.0.113.7",
                    "Authorization", "Bearer " + TOKEN);
            assertThat(full.body()).as(path).contains("\"components\"");
        }
        assertThat(withToken.get("/perf/ping", "X-Forwarded-For", "203.0.113.7").body()).isEqualTo("pong\n");
        try (TestServer closed = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.builder()
                .trustedProxy("127.0.0.1").bearerToken(TOKEN).publicProbes(false).build())) {
            for (String path : List.of("/perf/health", "/perf/ready", "/perf/ping")) {
                assertThat(closed.get(path, "X-Forwarded-For", "203.0.113.7").statusCode()).as(path).isEqualTo(401);
            }
        }
    }

    @Test
    void forwardedForIsIgnoredWithoutTrustedProxiesAndTheAuthorizerCanOpen() throws Exception {
        // Remote address is loopback and no proxy is trusted: the header is not believed either way.
        assertThat(withoutToken.get("/perf/health", "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(200);
        // The authorizer is consulted for non-loopback clients only; here it cannot make loopback fail.
        assertThat(withoutToken.get("/perf/health", "X-Test-Authorized", "no").statusCode()).isEqualTo(200);
    }

    @Test
    void deniedWithoutTokenConfiguredIs403() throws Exception {
        try (TestServer proxied = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.builder()
                .trustedProxy("127.0.0.1").authorizer(req -> "yes".equals(req.getHeader("X-Test-Authorized")))
                .build())) {
            HttpResponse<String> r = proxied.get("/perf/status", "X-Forwarded-For", "198.51.100.1");
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(proxied.get("/perf/status", "X-Forwarded-For", "198.51.100.1", "X-Test-Authorized", "yes")
                    .statusCode()).isEqualTo(200);
        }
    }
}
