package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Perf;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A request passing twice through Perfkit's filter in one dispatch (the filter mapped twice, or two instances) is
 * measured once, the inner pass still sees the request id in the MDC, and the next request on the same thread is
 * measured again (nothing of the first stays behind on the thread).
 */
class NestedPassTest {

    @Test
    void aSecondPassInTheSameDispatchIsNotMeasuredAgain() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Perf perf = Perf.builder().registry(registry).autoTick(false).systemMetrics(false).jvmMetrics(false)
                .build()) {
            PerfFilter outer = new PerfFilter(perf, PerfFilterConfig.ofDefaults());
            PerfFilter inner = new PerfFilter(perf, PerfFilterConfig.ofDefaults());
            AtomicReference<String> innerMdc = new AtomicReference<>();
            FilterChain app = (req, res) -> innerMdc.set(org.slf4j.MDC.get(PerfFilterConfig.ofDefaults().mdcKey()));
            FilterChain throughInner = (req, res) -> inner.doFilter(req, res, app);

            for (int i = 1; i <= 2; i++) {
                Map<String, String> headers = new HashMap<>();
                HttpServletRequest req = InProcess.request("GET", "/orders", Map.of("X-Request-ID", "req-" + i));
                HttpServletResponse res = InProcess.response(200, headers);
                outer.doFilter(req, res, throughInner);
                assertThat(innerMdc.get()).isEqualTo("req-" + i);
                assertThat(registry.find(MetricNames.HTTP_SERVER_REQUESTS).tag("uri", "/orders").timer().count())
                        .as("requests recorded after request %d", i).isEqualTo(i);
            }
            assertThat(outer.monitoringFailures() + inner.monitoringFailures()).isZero();
        }
    }

    @Test
    void aFailingChainLeavesTheThreadClean() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Perf perf = Perf.builder().registry(registry).autoTick(false).systemMetrics(false).jvmMetrics(false)
                .build()) {
            PerfFilter filter = new PerfFilter(perf, PerfFilterConfig.ofDefaults());
            HttpServletRequest failing = InProcess.request("GET", "/boom", Map.of());
            try {
                filter.doFilter(failing, InProcess.response(200, new HashMap<>()), (req, res) -> {
                    throw new ServletException("boom");
                });
            } catch (ServletException expected) {
                // the application's failure goes on to the container
            }
            filter.doFilter(InProcess.request("GET", "/after", Map.of()), InProcess.response(200, new HashMap<>()),
                    (req, res) -> {});
            assertThat(registry.find(MetricNames.HTTP_SERVER_REQUESTS).tag("uri", "/after").timer().count())
                    .isEqualTo(1);
        }
    }
}
