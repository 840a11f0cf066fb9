package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Profiler#countQuery()}: the hook JDBC instrumentation uses to reach the current request. */
class ProfilerCountQueryTest {

    private final Perf perf = Perf.builder().registry(new SimpleMeterRegistry()).autoTick(false)
            .systemMetrics(false).jvmMetrics(false).tracker(TrackerConfig.builder().samplingRate(1.0).build()).build();

    @AfterEach
    void close() {
        perf.close();
    }

    @Test
    void outsideARequestNothingIsCounted() {
        assertThat(perf.profiler().countQuery()).isNull();
        try (Scope plain = perf.tracker().start("not.a.request")) {
            assertThat(perf.profiler().countQuery()).isNull();
        }
    }

    @Test
    void countsAgainstTheInnermostScopeAndIdentifiesTheRequest() {
        RequestRef first;
        try (Scope request = perf.profiler().request("GET /a")) {
            first = perf.profiler().countQuery();
            try (Scope inner = perf.tracker().start("load")) {
                assertThat(perf.profiler().countQuery()).isSameAs(first);
                perf.profiler().countQuery();
            }
        }
        assertThat(first).isNotNull();
        assertThat(first.name()).isEqualTo("GET /a");
        assertThat(first.id()).isPositive();
        ProfileTree tree = perf.profiler().recent().get(0);
        assertThat(tree.root().queryCount()).isEqualTo(1);
        assertThat(tree.root().children().get(0).queryCount()).isEqualTo(2);

        RequestRef second;
        try (Scope request = perf.profiler().request("GET /a")) {
            second = perf.profiler().countQuery();
        }
        assertThat(second).isNotNull();
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.name()).isEqualTo("GET /a");
    }

    @Test
    void disabledTrackingCountsNothing() {
        perf.tracker().setEnabled(false);
        try (Scope request = perf.profiler().request("GET /a")) {
            assertThat(perf.profiler().countQuery()).isNull();
        }
    }
}
