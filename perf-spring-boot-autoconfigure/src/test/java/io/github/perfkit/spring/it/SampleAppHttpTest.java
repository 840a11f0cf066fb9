package io.github.perfkit.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.core.Perf;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/** The sample app over real HTTP: requests and {@code @Timed} calls show up in Perfkit's endpoints. */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "perfkit.system-metrics=false")
@DirtiesContext
class SampleAppHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    Perf perf;

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsAndTimedMethodsAppearInPerfkitsEndpoints() throws Exception {
        HttpResponse<String> hello = get("/hello/world");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hello world");
        assertThat(hello.headers().firstValue("X-Request-ID")).isPresent();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<String> metrics = get("/perf/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("perfkit_http_server_requests_seconds_count")
                    .contains("uri=\"/hello/{name}\"");
        });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            perf.tick();
            HttpResponse<String> operations = get("/perf/api/operations");
            assertThat(operations.statusCode()).isEqualTo(200);
            assertThat(operations.body()).contains("greeter.greet");
        });
        assertThat(get("/perf/health").statusCode()).isIn(200, 503);
    }

    @Test
    void theContinuousDiagnosisStartsOnceTheAppIsReady() {
        // Started in the background after ApplicationReadyEvent: a running JFR recording appears.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(FlightRecorder.isInitialized()).isTrue();
            assertThat(FlightRecorder.getFlightRecorder().getRecordings())
                    .anyMatch(r -> r.getState() == RecordingState.RUNNING);
        });
    }
}
