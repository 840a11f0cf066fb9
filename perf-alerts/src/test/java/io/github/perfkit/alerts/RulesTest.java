package io.github.perfkit.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.perfkit.core.history.MetricsHistory;
import io.github.perfkit.core.history.TimeSeries;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesTest {

    private final Sim sim = new Sim();

    private RuleContext ctx() {
        return new RuleContext() {
            @Override
            public long nowMillis() {
                return sim.now();
            }

            @Override
            public MetricsHistory history() {
                return sim.history;
            }

            @Override
            public List<TimeSeries> window(String metric, Iterable<Tag> tags, Duration window) {
                return sim.history.query(io.github.perfkit.core.history.HistoryQuery.builder(metric)
                        .tags(tags).from(java.time.Instant.ofEpochMilli(sim.now()).minus(window).plusMillis(1))
                        .to(java.time.Instant.ofEpochMilli(sim.now())).step(Duration.ofSeconds(1)).build());
            }

            @Override
            public boolean isActive(String ruleName, String subject) {
                return false;
            }
        };
    }

    private static List<DataPoint> pts(double... v) {
        List<DataPoint> out = new java.util.ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            out.add(new DataPoint(i * 1000L, v[i]));
        }
        return out;
    }

    @Test
    void aggregations() {
        List<DataPoint> p = pts(1, 5, 3, 10, 2);
        assertThat(Aggregation.last().apply(p)).isEqualTo(2);
        assertThat(Aggregation.avg().apply(p)).isEqualTo(4.2, within(1e-9));
        assertThat(Aggregation.max().apply(p)).isEqualTo(10);
        assertThat(Aggregation.min().apply(p)).isEqualTo(1);
        assertThat(Aggregation.rate().apply(p)).isEqualTo(0.25, within(1e-9)); // (2-1)/4s
        assertThat(Aggregation.percentile(80).apply(p)).isEqualTo(5);
        assertThat(Aggregation.parse("p95")).isEqualTo(Aggregation.percentile(95));
        assertThat(Aggregation.parse("AVG")).isEqualTo(Aggregation.avg());
        assertThat(Aggregation.last().apply(List.of())).isNaN();
        assertThat(Comparison.parse(">=")).isEqualTo(Comparison.GE);
        assertThat(Comparison.LE.test(1, 1)).isTrue();
        assertThat(Comparison.LT.test(1, 1)).isFalse();
    }

    @Test
    void thresholdWithTagsMatchesOnlyTheTaggedSeriesAndAveragesTheWindow() {
        for (int i = 0; i < 10; i++) {
            sim.advance();
            sim.record("lat", i < 5 ? 100 : 900, "uri", "/a");
            sim.record("lat", 900, "uri", "/b");
        }
        ThresholdRule r = ThresholdRule.builder("lat").metric("lat").tags("uri", "/a").threshold(400)
                .aggregation(Aggregation.avg()).window(Duration.ofSeconds(10)).build();
        List<Finding> f = r.evaluate(ctx());
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.subject()).isEqualTo("lat{uri=/a}");
            assertThat(x.value()).isEqualTo(500, within(1e-9));
            assertThat(x.active()).isTrue();
        });
        ThresholdRule low = ThresholdRule.builder("lat").metric("lat").comparison(Comparison.LT).threshold(400)
                .aggregation(Aggregation.percentile(50)).window(Duration.ofSeconds(10)).build();
        // p50 of /a (five 100s, five 900s) is 100 (nearest rank), of /b 900
        assertThat(low.evaluate(ctx())).extracting(Finding::subject, Finding::active).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("lat{uri=/a}", true),
                org.assertj.core.groups.Tuple.tuple("lat{uri=/b}", false));
    }

    @Test
    void rateOfChangeAbsenceAndComposite() {
        for (int i = 0; i < 10; i++) {
            sim.advance();
            sim.record("queue", 10 + i * 10);
        }
        RateOfChangeRule grow = RateOfChangeRule.builder("grow").metric("queue").thresholdPercent(300)
                .window(Duration.ofSeconds(10)).build();
        assertThat(grow.evaluate(ctx())).singleElement().satisfies(f -> {
            assertThat(f.value()).isEqualTo(900, within(1e-9)); // 10 -> 100
            assertThat(f.active()).isTrue();
        });
        AbsenceRule heartbeat = AbsenceRule.builder("hb").metric("heartbeat").window(Duration.ofSeconds(30)).build();
        assertThat(heartbeat.evaluate(ctx())).singleElement().satisfies(f -> assertThat(f.active()).isTrue());
        AbsenceRule queue = AbsenceRule.builder("q").metric("queue").window(Duration.ofSeconds(30)).build();
        assertThat(queue.evaluate(ctx()).get(0).active()).isFalse();
        for (int i = 0; i < 31; i++) {
            sim.advance();
        }
        assertThat(queue.evaluate(ctx()).get(0).active()).isTrue();

        CompositeRule all = CompositeRule.builder("both").add(heartbeat).add(grow).build();
        CompositeRule any = CompositeRule.builder("either").mode(CompositeRule.Mode.ANY).add(heartbeat).add(grow)
                .build();
        assertThat(all.evaluate(ctx()).get(0).active()).isFalse(); // grow has no samples any more
        assertThat(any.evaluate(ctx()).get(0).active()).isTrue();
        assertThat(any.evaluate(ctx()).get(0).description()).contains("hb: no samples of heartbeat");
    }
}
