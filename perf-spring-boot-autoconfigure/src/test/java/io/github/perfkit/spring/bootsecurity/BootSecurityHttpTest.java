package io.github.perfkit.spring.bootsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Spring Boot's default security chain (everything authenticated, HTTP Basic, CSRF on) applies to Perfkit's
 * endpoints too, even with Perfkit's filter registered; Perfkit's POSTs pass Spring's CSRF check.
 */
@SpringBootTest(classes = BootSecurityApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false", "perfkit.servlet.filter=true",
                "spring.security.user.name=ops", "spring.security.user.password=ops-password"})
class BootSecurityHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    private HttpResponse<String> send(String method, String path, boolean authenticated) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authenticated) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString("ops:ops-password".getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bootsDefaultSecurityGuardsTheEndpoints() throws Exception {
        assertThat(send("GET", "/perf/metrics", false).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/perf/", false).statusCode()).isEqualTo(401);
        HttpResponse<String> metrics = send("GET", "/perf/metrics", true);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("perfkit_");
        HttpResponse<String> post = send("POST", "/perf/api/sections/alerts/silence", true);
        assertThat(post.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(post.body()).contains("\"error\"");
    }
}
