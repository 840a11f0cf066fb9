package io.github.perfkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Perf;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The CSRF rule shared by every state-changing call (section actions, profiling and diagnostics POSTs),
 * header by header.
 */
class CsrfTest {

    private final Csrf csrf = new Csrf();
    private final String token = csrf.token();

    private String failure(String scheme, String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return csrf.refusal(map.get(Csrf.HEADER), map.get("Origin"), map.get("Sec-Fetch-Site"), map.get("Host"), scheme);
    }

    @Test
    void theTokenIsDrawnOnceWhicheverCallComesFirstAndOnWhicheverThread() throws Exception {
        Csrf fresh = new Csrf();
        // A POST checked before anyone read the token is refused, and does not change the token drawn for it.
        assertThat(fresh.refusal("guess", null, null, null, "http")).contains(Csrf.HEADER);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> reads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reads.add(pool.submit(fresh::token));
            }
            for (Future<String> read : reads) {
                assertThat(read.get()).isEqualTo(fresh.token());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fresh.refusal(fresh.token(), null, null, null, "http")).isNull();
        assertThat(new Csrf().token()).isNotEqualTo(fresh.token());
    }

    @Test
    void theTokenAloneIsEnoughForScriptsAndMustBeExact() {
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(failure("http", Csrf.HEADER, token)).isNull();
        assertThat(failure("http")).contains(Csrf.HEADER);
        assertThat(failure("http", Csrf.HEADER, "")).contains(Csrf.HEADER);
        assertThat(failure("http", Csrf.HEADER, token + "x")).contains(Csrf.HEADER);
        assertThat(failure("http", Csrf.HEADER, token.substring(1))).contains(Csrf.HEADER);
        assertThat(failure("http", Csrf.HEADER, "x".repeat(5000))).contains(Csrf.HEADER);
        assertThat(failure("http", Csrf.HEADER, "é" + token.substring(1))).contains(Csrf.HEADER);
    }

    @Test
    void eachCheckerHasItsOwnToken() {
        assertThat(new Csrf().token()).isNotEqualTo(token);
    }

    @Test
    void browsersMustSaySameOrigin() {
        assertThat(failure("http", Csrf.HEADER, token, "Sec-Fetch-Site", "same-origin")).isNull();
        assertThat(failure("http", Csrf.HEADER, token, "Sec-Fetch-Site", "SAME-ORIGIN")).isNull();
        for (String site : new String[] {"same-site", "cross-site", "none", ""}) {
            assertThat(failure("http", Csrf.HEADER, token, "Sec-Fetch-Site", site)).as(site).contains("cross-site");
        }
    }

    @Test
    void anOriginMustNameTheRequestsOwnSchemeAndHost() {
        assertThat(failure("http", Csrf.HEADER, token, "Origin", "http://127.0.0.1:8080", "Host", "127.0.0.1:8080"))
                .isNull();
        assertThat(failure("http", Csrf.HEADER, token, "Origin", "http://LocalHost:80", "Host", "localhost")).isNull();
        assertThat(failure("https", Csrf.HEADER, token, "Origin", "https://[::1]:8443", "Host", "[::1]:8443")).isNull();
        for (String[] bad : new String[][] {
            {"http://127.0.0.1:8081", "127.0.0.1:8080"}, {"null", "127.0.0.1:8080"},
            {"http://evil.example", "127.0.0.1:8080"}, {"http://127.0.0.1:8080/path", "127.0.0.1:8080"},
            {"http://", "127.0.0.1:8080"}, {"127.0.0.1:8080", "127.0.0.1:8080"},
            {"https://127.0.0.1:8080", "127.0.0.1:8080"}}) {
            assertThat(failure("http", Csrf.HEADER, token, "Origin", bad[0], "Host", bad[1])).as(bad[0])
                    .contains("Origin");
        }
        assertThat(failure("http", Csrf.HEADER, token, "Origin", "http://127.0.0.1:8080")).as("no Host")
                .contains("Origin");
    }

    @Test
    void theDiagnosticsEndpointsUseTheSharedCheckAndTheBearerTokenSkipsIt() {
        try (Perf perf = Perf.builder().registry(new SimpleMeterRegistry()).autoTick(false).systemMetrics(false)
                .jvmMetrics(false).build()) {
            DiagnosticsEndpoints endpoints = new DiagnosticsEndpoints(perf, b -> String.valueOf(b)
                    .getBytes(StandardCharsets.UTF_8), r -> "Bearer 0123456789abcdef".equals(r.getHeader("Authorization")),
                    csrf);
            try {
                assertThat(endpoints.csrfFailure(request(Map.of(Csrf.HEADER, token)))).isNull();
                assertThat(endpoints.csrfFailure(request(Map.of(Csrf.HEADER, new Csrf().token())))).isNotNull();
                assertThat(endpoints.csrfFailure(request(Map.of("Authorization", "Bearer 0123456789abcdef")))).isNull();
                assertThat(endpoints.csrfFailure(request(Map.of("Authorization", "Bearer wrong")))).contains(Csrf.HEADER);
            } finally {
                endpoints.close();
            }
            assertThatThrownBy(() -> new DiagnosticsEndpoints(perf, b -> new byte[0], r -> false, csrf, 100))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxUploadBytes");
        }
    }

    private static HttpServletRequest request(Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> "POST";
                    case "getScheme" -> "http";
                    case "getHeader" -> lower.get(((String) args[0]).toLowerCase(Locale.ROOT));
                    default -> null;
                });
    }
}
