package io.github.perfkit.spring.secured;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Spring Security cooperation over real HTTP: the application's rules apply to Perfkit's endpoints (the filter
 * does not answer them ahead of Spring Security), Perfkit's own loopback check stays unless relaxed by
 * {@code perfkit.servlet.access=authenticated}, and Spring Security's CSRF check skips only Perfkit's POSTs.
 * A non-loopback client is simulated by a trusted proxy (127.0.0.1) forwarding for 203.0.113.7.
 */
class SecuredAppHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String REMOTE = "203.0.113.7";

    static HttpResponse<String> send(int port, String method, String path, @Nullable String user,
                                     @Nullable String forwardedFor) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            String basic = user + ":" + SecuredApp.PASSWORD;
            b.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Default access: Spring Security's rules, then Perfkit's loopback check. */
    @Nested
    @SpringBootTest(classes = SecuredApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false",
                    "perfkit.servlet.trusted-proxies=127.0.0.1", "perfkit.servlet.filter=true"})
    class DefaultAccess {
        @LocalServerPort
        int port;

        @Test
        void theApplicationsRulesApplyToPerfkitsEndpoints() throws Exception {
            // Perfkit's filter is registered (perfkit.servlet.filter=true) yet does not answer ahead of security.
            for (String path : new String[] {"/perf/metrics", "/perf/", "/perf/api/operations", "/PERF/metrics"}) {
                assertThat(send(port, "GET", path, null, null).statusCode()).as(path).isEqualTo(401);
            }
            assertThat(send(port, "GET", "/perf/metrics", "dev", null).statusCode()).isEqualTo(403);
            HttpResponse<String> ops = send(port, "GET", "/perf/metrics", "ops", null);
            assertThat(ops.statusCode()).isEqualTo(200);
            assertThat(ops.body()).contains("perfkit_");
            assertThat(send(port, "GET", "/hello", "dev", null).body()).isEqualTo("hello");
        }

        @Test
        void perfkitsLoopbackCheckStillAppliesToAuthenticatedRemoteUsers() throws Exception {
            HttpResponse<String> remote = send(port, "GET", "/perf/metrics", "ops", REMOTE);
            assertThat(remote.statusCode()).isEqualTo(403);
            assertThat(remote.body()).contains("loopback");
        }

        @Test
        void springCsrfSkipsPerfkitsPostsButNotTheApplications() throws Exception {
            // The application's POST without a CSRF token: Spring Security refuses it (403, or 401 when the
            // error dispatch is itself refused before Basic authentication).
            HttpResponse<String> app = send(port, "POST", "/change", "ops", null);
            assertThat(app.statusCode()).isIn(401, 403);
            assertThat(app.body()).doesNotContain("changed");
            // Perfkit's POST reaches Perfkit (its JSON answer, whatever its own checks decide), not Spring's CSRF.
            HttpResponse<String> perfkit = send(port, "POST", "/perf/api/sections/alerts/silence", "ops", null);
            assertThat(perfkit.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(perfkit.body()).contains("\"error\"");
            // ... and Spring Security's rules still apply to it.
            assertThat(send(port, "POST", "/perf/api/sections/alerts/silence", null, null).statusCode())
                    .isEqualTo(401);
        }
    }

    /** {@code perfkit.servlet.access=authenticated} with a role: users Spring Security authenticated, remote too. */
    @Nested
    @SpringBootTest(classes = SecuredApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false",
                    "perfkit.servlet.trusted-proxies=127.0.0.1", "perfkit.servlet.access=authenticated",
                    "perfkit.servlet.access-roles=OPS"})
    class AuthenticatedAccess {
        @LocalServerPort
        int port;

        @Test
        void remoteUsersSpringSecurityAuthenticatedAreServed() throws Exception {
            assertThat(send(port, "GET", "/perf/metrics", "ops", REMOTE).statusCode()).isEqualTo(200);
            assertThat(send(port, "GET", "/perf/api/operations", "ops", REMOTE).statusCode()).isEqualTo(200);
            assertThat(send(port, "GET", "/perf/metrics", null, REMOTE).statusCode()).isEqualTo(401);
            assertThat(send(port, "GET", "/perf/metrics", "dev", REMOTE).statusCode()).isEqualTo(403);
        }
    }
}
