package io.github.perfkit.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CardinalityGuardTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private CardinalityGuard guard(int cap) {
        CardinalityGuard g = CardinalityGuard.builder().maxSeriesPerName(cap).idleExpiry(Duration.ofMinutes(10))
                .clock(clock).exempt("exempt.").build();
        registry.config().meterFilter(g);
        return g;
    }

    private Set<String> userValues(String name) {
        return registry.find(name).counters().stream().map(c -> c.getId().getTag("user"))
                .collect(Collectors.toSet());
    }

    @Test
    void capsSeriesPerNameAndCountsOverflow() {
        CardinalityGuard g = guard(3);
        for (int i = 0; i < 10; i++) {
            registry.counter("http.calls", "user", "u" + i, "method", "GET").increment();
        }
        g.expireIdle(registry);

        assertThat(userValues("http.calls")).containsExactlyInAnyOrder("u0", "u1", "u2", "OTHER");
        Counter other = registry.get("http.calls").tags("user", "OTHER", "method", "OTHER").counter();
        assertThat(other.count()).isEqualTo(7.0);
        assertThat(g.overflowCount("http.calls")).isEqualTo(7);
        assertThat(registry.get(MetricNames.METERS_OVERFLOW).tag("name", "http.calls").functionCounter().count())
                .isEqualTo(7.0);
        // Known tag sets keep their own series after the cap is reached.
        registry.counter("http.calls", "user", "u1", "method", "GET").increment();
        assertThat(registry.get("http.calls").tags("user", "u1").counter().count()).isEqualTo(2.0);
    }

    @Test
    void repeatedOverflowedTagSetIsCountedOnce() {
        CardinalityGuard g = guard(1);
        Meter.Id a = new Meter.Id("x", Tags.of("k", "a"), null, null, Meter.Type.COUNTER);
        Meter.Id b = new Meter.Id("x", Tags.of("k", "b"), null, null, Meter.Type.COUNTER);
        assertThat(g.map(a)).isEqualTo(a);
        Meter.Id mapped = g.map(b);
        assertThat(mapped.getTags()).containsExactly(Tag.of("k", "OTHER"));
        assertThat(g.map(b)).isEqualTo(mapped);
        assertThat(g.map(mapped)).isEqualTo(mapped);
        assertThat(g.overflowCount("x")).isEqualTo(1);
    }

    @Test
    void exemptPrefixIsNotLimited() {
        CardinalityGuard g = guard(3);
        for (int i = 0; i < 50; i++) {
            registry.counter("exempt.calls", "user", "u" + i).increment();
        }
        assertThat(registry.find("exempt.calls").counters()).hasSize(50);
        assertThat(g.overflowCount("exempt.calls")).isZero();
    }

    @Test
    void idleSeriesExpireAndFreeTheirSlot() {
        CardinalityGuard g = guard(2);
        registry.counter("jobs", "job", "a").increment();
        registry.counter("jobs", "job", "b").increment();
        g.expireIdle(registry);

        clock.add(Duration.ofMinutes(6));
        registry.counter("jobs", "job", "b").increment(); // b stays active, a is idle
        g.expireIdle(registry);
        clock.add(Duration.ofMinutes(5));
        g.expireIdle(registry);

        assertThat(userTags("jobs")).containsExactly("b");
        registry.counter("jobs", "job", "c").increment(); // takes a's slot: its own series, no overflow
        assertThat(userTags("jobs")).containsExactlyInAnyOrder("b", "c");
        assertThat(g.overflowCount("jobs")).isZero();

        registry.counter("jobs", "job", "d").increment(); // cap reached again
        assertThat(userTags("jobs")).containsExactlyInAnyOrder("b", "c", "OTHER");
    }

    @Test
    void activeSeriesAndGaugesDoNotExpire() {
        CardinalityGuard g = guard(5);
        registry.gauge("queue.size", Tags.of("queue", "q1"), 42.0);
        for (int minute = 0; minute < 30; minute++) {
            registry.counter("busy", "k", "v").increment();
            g.expireIdle(registry);
            clock.add(Duration.ofMinutes(1));
        }
        g.expireIdle(registry);
        assertThat(registry.find("busy").counter()).isNotNull();
        assertThat(registry.find("queue.size").gauge()).isNotNull();
    }

    @Test
    void hundredThousandNamesStayBounded() {
        CardinalityGuard g = CardinalityGuard.builder().maxSeriesPerName(2).maxTrackedNames(10_000).clock(clock)
                .build();
        for (int i = 0; i < 100_000; i++) {
            Meter.Id id = new Meter.Id("name." + i, Tags.of("k", "v" + i), null, null, Meter.Type.COUNTER);
            assertThat(g.map(id)).isSameAs(id);
        }
        assertThat(g.trackedNames()).isEqualTo(10_000);
        // Names freed by expiry make room again.
        clock.add(Duration.ofMinutes(11));
        g.expireIdle(registry);
        assertThat(g.trackedNames()).isZero();
    }

    @Test
    void builderNamesTheBadSetting() {
        assertThatThrownBy(() -> CardinalityGuard.builder().maxSeriesPerName(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSeriesPerName");
        assertThatThrownBy(() -> CardinalityGuard.builder().idleExpiry(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleExpiry");
        assertThatThrownBy(() -> CardinalityGuard.builder().exempt(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exempt");
        assertThat(CardinalityGuard.ofDefaults().maxSeriesPerName()).isEqualTo(500);
        assertThat(CardinalityGuard.ofDefaults().idleExpiry()).isEqualTo(Duration.ofMinutes(10));
    }

    private List<String> userTags(String name) {
        return registry.find(name).counters().stream().map(c -> c.getId().getTag("job")).sorted()
                .collect(Collectors.toList());
    }
}
