package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.history.HistoryQuery;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoints' {@code perfkit.http.server.latency} gauges over real requests, and their history. */
class LatencyGaugesIT {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.ofDefaults());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static double quantile(String q) {
        Gauge g = server.registry().find(MetricNames.HTTP_SERVER_LATENCY).tag("quantile", q).gauge();
        assertThat(g).as("gauge quantile=" + q).isNotNull();
        return g.value();
    }

    @Test
    void percentilesFollowTheRequestsAndReachTheHistory() throws Exception {
        assertThat(quantile("0.5")).as("no request yet").isNaN();
        for (int i = 0; i < 20; i++) {
            assertThat(server.get("/users/" + i).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(server.get("/slow").statusCode()).isEqualTo(200);
        }
        // Values are computed at most once a second: wait for the first computation after the requests.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Double.isFinite(quantile("0.99")));
        double p50 = quantile("0.5");
        double p95 = quantile("0.95");
        double p99 = quantile("0.99");
        assertThat(p50).isPositive().isLessThanOrEqualTo(p95);
        assertThat(p95).isLessThanOrEqualTo(p99);
        // Two of 22 requests took 150 ms: weighted by count they lift p99 above 150 ms * 2 / 22.
        assertThat(p99).isGreaterThan(0.150 * 2 / 22).isLessThan(1.0);
        server.perf.tick();
        long now = server.perf.clock().wallTime();
        var series = server.perf.history().query(new HistoryQuery(MetricNames.HTTP_SERVER_LATENCY, Tags.empty(),
                Instant.ofEpochMilli(now - 60_000), Instant.ofEpochMilli(now + 1_000), Duration.ofSeconds(1)));
        assertThat(series).hasSize(3);
        assertThat(series).allSatisfy(s -> assertThat(s.points()).isNotEmpty());
    }
}
