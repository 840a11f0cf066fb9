package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Perf;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Over real sockets: a registry that throws on every meter registration never changes what clients get. */
class BrokenRegistryIT {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Perf perf = Perf.builder().registry(registry).autoTick(false).systemMetrics(false).jvmMetrics(false).build();
        server = new TestServer(perf, PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.ofDefaults());
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                throw new IllegalStateException("registry is broken");
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void responsesAreUnchanged() throws Exception {
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = server.get("/users/" + i, "X-Request-ID", "req-" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("user " + i + " é");
            assertThat(r.headers().firstValue("X-Request-ID")).contains("req-" + i);
        }
        HttpResponse<String> async = server.get("/async", "X-Request-ID", "async-broken");
        assertThat(async.body()).isEqualTo("async async-broken");
        assertThat(server.get("/boom").statusCode()).isEqualTo(500);
        assertThat(server.filter.monitoringFailures()).isGreaterThanOrEqualTo(20);
        assertThat(server.get("/perf/health").statusCode()).isEqualTo(200);
    }
}
