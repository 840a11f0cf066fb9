package io.github.perfkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Perf;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CSRF rule of the profiling endpoints' POSTs, header by header. */
class DiagnosticsEndpointsCsrfTest {

    private static Perf perf;
    private static DiagnosticsEndpoints endpoints;
    private static String token;

    @BeforeAll
    static void create() {
        perf = Perf.builder().registry(new SimpleMeterRegistry()).autoTick(false).systemMetrics(false)
                .jvmMetrics(false).build();
        endpoints = new DiagnosticsEndpoints(perf, body -> String.valueOf(body).getBytes(StandardCharsets.UTF_8),
                r -> "Bearer 0123456789abcdef".equals(r.getHeader("Authorization")));
        token = tokenOf(endpoints);
    }

    @AfterAll
    static void close() {
        endpoints.close();
        perf.close();
    }

    /** The token as GET api/csrf renders it (through the JSON function). */
    private static String tokenOf(DiagnosticsEndpoints e) {
        // The JSON function above renders Map.toString(): {header=X-Perfkit-CSRF, token=...}
        var out = new java.io.ByteArrayOutputStream();
        try {
            e.service("/api/csrf", request("GET", Map.of()), response(out));
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        String body = out.toString(StandardCharsets.UTF_8);
        return body.replaceAll(".*token=([A-Za-z0-9_-]+).*", "$1");
    }

    private static HttpServletRequest request(String method, Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> lower.get(((String) args[0]).toLowerCase(java.util.Locale.ROOT));
                    case "getParameterMap" -> Map.of();
                    default -> null;
                });
    }

    private static jakarta.servlet.http.HttpServletResponse response(java.io.ByteArrayOutputStream out) {
        jakarta.servlet.ServletOutputStream stream = new jakarta.servlet.ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(jakarta.servlet.WriteListener listener) {
                // Blocking only.
            }

            @Override
            public void write(int b) {
                out.write(b);
            }
        };
        return (jakarta.servlet.http.HttpServletResponse) Proxy.newProxyInstance(
                HttpServletRequest.class.getClassLoader(), new Class<?>[] {jakarta.servlet.http.HttpServletResponse.class},
                (proxy, m, args) -> m.getName().equals("getOutputStream") ? stream : null);
    }

    private static String failure(String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return endpoints.csrfFailure(request("POST", map));
    }

    @Test
    void theTokenAloneIsEnoughForScriptsAndMustBeExact() {
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(failure("X-Perfkit-CSRF", token)).isNull();
        assertThat(failure()).contains("missing X-Perfkit-CSRF");
        assertThat(failure("X-Perfkit-CSRF", "")).contains("missing");
        assertThat(failure("X-Perfkit-CSRF", token + "x")).contains("wrong");
        assertThat(failure("X-Perfkit-CSRF", token.substring(1))).contains("wrong");
        assertThat(failure("X-Perfkit-CSRF", "x".repeat(5000))).contains("wrong");
        assertThat(failure("X-Perfkit-CSRF", "é" + token.substring(1))).contains("wrong");
    }

    @Test
    void aRequestWithTheBearerTokenSkipsTheCheck() {
        assertThat(failure("Authorization", "Bearer 0123456789abcdef")).isNull();
        assertThat(failure("Authorization", "Bearer wrong")).contains("missing X-Perfkit-CSRF");
    }

    @Test
    void eachInstanceHasItsOwnToken() {
        DiagnosticsEndpoints other = new DiagnosticsEndpoints(perf, body -> String.valueOf(body)
                .getBytes(StandardCharsets.UTF_8), r -> false);
        try {
            assertThat(tokenOf(other)).isNotEqualTo(token);
        } finally {
            other.close();
        }
    }

    @Test
    void browsersMustSaySameOrigin() {
        assertThat(failure("X-Perfkit-CSRF", token, "Sec-Fetch-Site", "same-origin")).isNull();
        assertThat(failure("X-Perfkit-CSRF", token, "Sec-Fetch-Site", "SAME-ORIGIN")).isNull();
        for (String site : new String[] {"same-site", "cross-site", "none", ""}) {
            assertThat(failure("X-Perfkit-CSRF", token, "Sec-Fetch-Site", site)).as(site).contains("cross-site");
        }
    }

    @Test
    void anOriginMustNameTheRequestsOwnHost() {
        assertThat(failure("X-Perfkit-CSRF", token, "Origin", "http://127.0.0.1:8080", "Host", "127.0.0.1:8080"))
                .isNull();
        assertThat(failure("X-Perfkit-CSRF", token, "Origin", "http://LocalHost:80", "Host", "localhost")).isNull();
        assertThat(failure("X-Perfkit-CSRF", token, "Origin", "https://[::1]:8443", "Host", "[::1]:8443")).isNull();
        for (String[] bad : new String[][] {
            {"http://127.0.0.1:8081", "127.0.0.1:8080"}, {"null", "127.0.0.1:8080"},
            {"http://evil.example", "127.0.0.1:8080"}, {"http://127.0.0.1:8080/path", "127.0.0.1:8080"},
            {"http://", "127.0.0.1:8080"}, {"127.0.0.1:8080", "127.0.0.1:8080"}}) {
            assertThat(failure("X-Perfkit-CSRF", token, "Origin", bad[0], "Host", bad[1])).as(bad[0]).contains("Origin");
        }
        assertThat(failure("X-Perfkit-CSRF", token, "Origin", "http://127.0.0.1:8080")).as("no Host").contains("Origin");
    }

    @Test
    void uploadCapBelowOneKibIsRefused() {
        assertThatThrownBy(() -> new DiagnosticsEndpoints(perf, b -> new byte[0], r -> false, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxUploadBytes");
    }
}
