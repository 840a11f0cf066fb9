package io.github.perfkit.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.testapps.hot.HotApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A planted slow method found by the continuous diagnosis (on by default; windows of 2 s set by properties) while
 * a controller calls it under load, and served over real HTTP as a CPU finding whose culprit names the method.
 */
@SpringBootTest(classes = HotApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"perfkit.system-metrics=false", "perfkit.diagnosis.window=2s",
                "perfkit.diagnosis.learning-windows=0", "perfkit.diagnosis.persistence-windows=1"})
@DirtiesContext
class CpuHotspotHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CULPRIT = HotApp.Crunch.class.getName() + ".burn";

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<JsonNode> cpuFindings() throws Exception {
        HttpResponse<String> r = get("/perf/api/sections?name=findings");
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).path("sections").path("findings").path("findings").forEach(f -> {
            if (f.path("category").asText().equals("cpu_hotspot")) {
                out.add(f);
            }
        });
        return out;
    }

    @Test
    void aPlantedSlowMethodUnderLoadBecomesACpuFindingNamingIt() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(2);
        try {
            for (int t = 0; t < 2; t++) {
                load.submit(() -> {
                    while (!stop.get()) {
                        try {
                            if (get("/report").statusCode() == 200) {
                                served.incrementAndGet();
                            }
                        } catch (Exception e) {
                            if (e instanceof InterruptedException) {
                                return null;
                            }
                        }
                    }
                    return null;
                });
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(cpuFindings()).anySatisfy(f -> {
                        assertThat(f.path("culprit").asText()).isEqualTo(CULPRIT);
                        assertThat(f.path("active").asBoolean()).isTrue();
                        assertThat(f.path("evidence").path("cpuShare").asDouble()).isGreaterThanOrEqualTo(0.2);
                        assertThat(f.path("recommendation").asText()).contains(CULPRIT);
                    }));
            assertThat(served.get()).isPositive();
        } finally {
            stop.set(true);
            load.shutdownNow();
            assertThat(load.awaitTermination(15, TimeUnit.SECONDS)).isTrue();
        }
    }
}
