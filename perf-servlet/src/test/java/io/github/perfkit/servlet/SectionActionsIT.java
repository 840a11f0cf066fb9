package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.core.spi.StatusContributor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST <base>/api/sections/<name>/<action>} over real sockets: access, CSRF, bounds and errors. */
class SectionActionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-token-for-the-actions-test";
    private static TestServer server;
    private static String origin;
    private static final List<Map<String, String>> CALLS = new CopyOnWriteArrayList<>();

    /** A section with two actions; "acknowledge" needs an {@code id} and rejects unknown ones. */
    static final class Alerts implements StatusContributor {
        @Override
        public String name() {
            return "alerts";
        }

        @Override
        public Map<String, Object> status() {
            return Map.of("activeCount", 0);
        }

        @Override
        public Set<String> actions() {
            return Set.of("acknowledge", "silence");
        }

        @Override
        public Map<String, Object> act(String action, Map<String, String> params) {
            String id = params.get("id");
            if (action.equals("acknowledge") && (id == null || !id.startsWith("a-"))) {
                throw new IllegalArgumentException("id: no active alert has this id");
            }
            Map<String, String> call = new LinkedHashMap<>(params);
            call.put("_action", action);
            CALLS.add(call);
            return Map.of("done", action, "params", params.size());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.builder().bearerToken(TOKEN).build());
        server.perf.register(new Alerts());
        origin = "http://127.0.0.1:" + server.port;
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() {
        CALLS.clear();
    }

    private static String csrfToken() throws Exception {
        HttpResponse<String> r = server.get("/perf/api/csrf");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(
                "application/json"));
        JsonNode n = JSON.readTree(r.body());
        assertThat(n.get("header").asText()).isEqualTo("X-Perfkit-CSRF");
        return n.get("token").asText();
    }

    private static HttpResponse<String> post(String path, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String[] browser(String token) {
        return new String[] {"X-Perfkit-CSRF", token, "Origin", origin, "Sec-Fetch-Site", "same-origin"};
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(
                "application/json"));
        return JSON.readTree(r.body());
    }

    @Test
    void aSameOriginPostWithTheTokenRunsTheActionWithFormParameters() throws Exception {
        HttpResponse<String> r = post("/perf/api/sections/alerts/silence", "application/x-www-form-urlencoded",
                "matchers=alertname%3DHighCpu%2Csubject%3Dweb-1&duration=1h&comment=deploy+%C3%A9", browser(csrfToken()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode n = json(r);
        assertThat(n.get("section").asText()).isEqualTo("alerts");
        assertThat(n.get("result").get("done").asText()).isEqualTo("silence");
        assertThat(CALLS).containsExactly(Map.of("matchers", "alertname=HighCpu,subject=web-1", "duration", "1h",
                "comment", "deploy é", "_action", "silence"));
    }

    @Test
    void aFlatJsonBodyIsAcceptedAndNestedValuesAreNot() throws Exception {
        String token = csrfToken();
        HttpResponse<String> r = post("/perf/api/sections/alerts/acknowledge", "application/json; charset=utf-8",
                "{\"id\":\"a-17\",\"by\":\"ops\",\"n\":3}", browser(token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(CALLS).containsExactly(Map.of("id", "a-17", "by", "ops", "n", "3", "_action", "acknowledge"));
        HttpResponse<String> nested = post("/perf/api/sections/alerts/acknowledge", "application/json",
                "{\"id\":{\"x\":1}}", browser(token));
        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(json(nested).get("parameter").asText()).isEqualTo("id");
        assertThat(post("/perf/api/sections/alerts/acknowledge", "application/json", "[1,2]", browser(token))
                .statusCode()).isEqualTo(400);
        assertThat(post("/perf/api/sections/alerts/acknowledge", "application/json", "{\"id\":", browser(token))
                .statusCode()).isEqualTo(400);
        assertThat(post("/perf/api/sections/alerts/acknowledge", "text/plain", "id=a-1", browser(token))
                .statusCode()).isEqualTo(400);
        assertThat(CALLS).hasSize(1);
    }

    @Test
    void csrfFailuresAre403AndNothingRuns() throws Exception {
        String token = csrfToken();
        String path = "/perf/api/sections/alerts/silence";
        String form = "application/x-www-form-urlencoded";
        List<HttpResponse<String>> refused = new ArrayList<>();
        // No token at all, a wrong token, a token from another servlet instance's format.
        refused.add(post(path, form, "duration=1h", "Origin", origin));
        refused.add(post(path, form, "duration=1h", "X-Perfkit-CSRF", token + "x", "Origin", origin));
        refused.add(post(path, form, "duration=1h", "X-Perfkit-CSRF", ""));
        // The right token from the wrong place.
        refused.add(post(path, form, "duration=1h", "X-Perfkit-CSRF", token, "Origin", "http://evil.example"));
        refused.add(post(path, form, "duration=1h", "X-Perfkit-CSRF", token, "Origin", "null"));
        refused.add(post(path, form, "duration=1h", "X-Perfkit-CSRF", token, "Origin",
                "http://127.0.0.1:" + (server.port + 1)));
        refused.add(post(path, form, "duration=1h", "X-Perfkit-CSRF", token, "Origin", "https://127.0.0.1:" + server.port));
        refused.add(post(path, form, "duration=1h", "X-Perfkit-CSRF", token, "Sec-Fetch-Site", "cross-site"));
        refused.add(post(path, form, "duration=1h", "X-Perfkit-CSRF", token, "Sec-Fetch-Site", "same-site",
                "Origin", origin));
        // A wrong bearer token does not skip the check either.
        refused.add(post(path, form, "duration=1h", "Authorization", "Bearer nope", "Origin", "http://evil.example"));
        for (HttpResponse<String> r : refused) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(json(r).get("error").asText()).isEqualTo("csrf");
        }
        assertThat(CALLS).isEmpty();
        // A tool on loopback without Origin headers passes with the token alone.
        assertThat(post(path, form, "duration=1h", "X-Perfkit-CSRF", token).statusCode()).isEqualTo(200);
        assertThat(CALLS).hasSize(1);
    }

    @Test
    void theBearerTokenSkipsTheOriginCheck() throws Exception {
        HttpResponse<String> r = post("/perf/api/sections/alerts/silence", "application/x-www-form-urlencoded",
                "duration=5m", "Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(CALLS).hasSize(1);
    }

    @Test
    void unknownSectionIs404UnknownActionAndRejectedParametersAre400() throws Exception {
        String token = csrfToken();
        String form = "application/x-www-form-urlencoded";
        HttpResponse<String> noSection = post("/perf/api/sections/nope/silence", form, "", browser(token));
        assertThat(noSection.statusCode()).isEqualTo(404);
        assertThat(json(noSection).get("parameter").asText()).isEqualTo("section");
        HttpResponse<String> noAction = post("/perf/api/sections/alerts/delete-everything", form, "", browser(token));
        assertThat(noAction.statusCode()).isEqualTo(400);
        assertThat(json(noAction).get("message").asText()).contains("acknowledge", "silence");
        assertThat(post("/perf/api/sections/alerts/%3Cscript%3E", form, "", browser(token)).statusCode()).isEqualTo(400);
        HttpResponse<String> badId = post("/perf/api/sections/alerts/acknowledge", form, "id=zzz", browser(token));
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(json(badId).get("message").asText()).isEqualTo("id: no active alert has this id");
        assertThat(post("/perf/api/sections/alerts", form, "", browser(token)).statusCode()).isEqualTo(404);
        assertThat(post("/perf/api/sections/alerts/silence/x", form, "", browser(token)).statusCode()).isEqualTo(404);
        assertThat(post("/perf/api/sections/alerts/silence?duration=1h", form, "", browser(token)).statusCode())
                .isEqualTo(400);
        assertThat(CALLS).isEmpty();
    }

    @Test
    void getAndOtherMethodsAre405AndGetChangesNothing() throws Exception {
        HttpResponse<String> get = server.get("/perf/api/sections/alerts/silence?duration=1h");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(server.send("PUT", "/perf/api/sections/alerts/silence", "duration=1h").statusCode()).isEqualTo(405);
        assertThat(server.send("DELETE", "/perf/api/sections/alerts/silence", "").statusCode()).isEqualTo(405);
        // Other endpoints keep refusing POST.
        assertThat(server.send("POST", "/perf/api/sections", "").statusCode()).isEqualTo(405);
        assertThat(CALLS).isEmpty();
    }

    @Test
    void bodiesAndValuesAreBounded() throws Exception {
        String token = csrfToken();
        String form = "application/x-www-form-urlencoded";
        HttpResponse<String> huge = post("/perf/api/sections/alerts/silence", form,
                "comment=" + "x".repeat(9000), browser(token));
        assertThat(huge.statusCode()).isEqualTo(413);
        HttpResponse<String> longValue = post("/perf/api/sections/alerts/silence", form,
                "comment=" + "x".repeat(1025), browser(token));
        assertThat(longValue.statusCode()).isEqualTo(400);
        assertThat(json(longValue).get("parameter").asText()).isEqualTo("comment");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            many.append("p").append(i).append("=1&");
        }
        assertThat(post("/perf/api/sections/alerts/silence", form, many.toString(), browser(token)).statusCode())
                .isEqualTo(400);
        assertThat(post("/perf/api/sections/alerts/silence", form, "a=1&a=2", browser(token)).statusCode())
                .isEqualTo(400);
        assertThat(post("/perf/api/sections/alerts/silence", form, "bad%zz=1", browser(token)).statusCode())
                .isEqualTo(400);
        assertThat(post("/perf/api/sections/alerts/silence", form, "x=%ff%fe", browser(token)).statusCode())
                .isEqualTo(400);
        assertThat(CALLS).isEmpty();
    }

    @Test
    void sectionsListTheActionsTheyOffer() throws Exception {
        JsonNode n = json(server.get("/perf/api/sections"));
        assertThat(n.get("actions").get("alerts").toString()).isEqualTo("[\"acknowledge\",\"silence\"]");
        assertThat(json(server.get("/perf/api/sections?name=alerts")).get("actions").has("alerts")).isTrue();
    }
}
