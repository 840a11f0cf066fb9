package io.github.perfkit.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeapDiagnosticsTest {

    private static final int PROBES = 100_000;
    private static final List<LeakProbe> LEAK = new ArrayList<>();

    /** A class only this test allocates, so its growth is known exactly. */
    static final class LeakProbe {
        final long a;
        final long b;
        final long c;

        LeakProbe(long i) {
            a = i;
            b = i * 2;
            c = i * 3;
        }
    }

    @AfterEach
    void release() {
        LEAK.clear();
    }

    @Test
    void diffBetweenTwoHistogramsNamesTheClassThatGrew() {
        HeapDiagnostics heap = HeapDiagnostics.ofDefaults();
        HeapHistogram before = heap.histogram();
        for (int i = 0; i < PROBES; i++) {
            LEAK.add(new LeakProbe(i));
        }
        HeapHistogram after = heap.histogram();

        String name = LeakProbe.class.getName();
        assertThat(after.find(name)).hasValueSatisfying(e -> {
            assertThat(e.instances()).isEqualTo(PROBES);
            assertThat(e.bytes()).isGreaterThanOrEqualTo(PROBES * 32L); // header + 3 longs, at least
        });
        HistogramDiff diff = HeapDiagnostics.diff(before, after, 5);
        assertThat(diff.suspects()).hasSizeLessThanOrEqualTo(5);
        assertThat(diff.suspects()).extracting(ClassDelta::className).contains(name);
        ClassDelta probe = diff.suspects().stream().filter(d -> d.className().equals(name)).findFirst().orElseThrow();
        assertThat(probe.instancesDelta()).isEqualTo(PROBES);
        assertThat(probe.bytesDelta()).isEqualTo(after.find(name).orElseThrow().bytes());
        assertThat(diff.suspects()).isSortedAccordingTo((x, y) -> Long.compare(y.bytesDelta(), x.bytesDelta()));
        assertThat(diff.between().isNegative()).isFalse();
        assertThat(LEAK).hasSize(PROBES);
    }

    @Test
    void histogramIsBoundedAndSortedByBytesAndCount() {
        HeapHistogram h = HeapDiagnostics.ofDefaults().histogram(5);
        assertThat(h.classes()).hasSize(5);
        assertThat(h.classCount()).isGreaterThan(5);
        assertThat(h.totalBytes()).isGreaterThan(h.classes().stream().mapToLong(ClassEntry::bytes).sum());
        assertThat(h.classes()).isSortedAccordingTo((x, y) -> Long.compare(y.bytes(), x.bytes()));
        assertThat(h.topByCount(3)).hasSize(3)
                .isSortedAccordingTo((x, y) -> Long.compare(y.instances(), x.instances()));
        assertThat(h.topByBytes(2)).containsExactly(h.classes().get(0), h.classes().get(1));
        assertThatThrownBy(() -> HeapDiagnostics.ofDefaults().histogram(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxClasses");
    }

    @Test
    void parsesJcmdOutput() {
        String text = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:          1000          64000  [B (java.base@17.0.15)
                   2:          3000          72000  java.lang.String (java.base@17.0.15)
                   3:            10            240  com.example.Thing
                Total          4010         136240
                """;
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        HeapHistogram h = HeapDiagnostics.of(Clock.fixed(at, ZoneOffset.UTC)).parse(text, 2);
        assertThat(h.capturedAt()).isEqualTo(at);
        assertThat(h.classCount()).isEqualTo(3);
        assertThat(h.totalInstances()).isEqualTo(4010);
        assertThat(h.totalBytes()).isEqualTo(136240);
        assertThat(h.classes()).containsExactly(
                new ClassEntry("java.lang.String", "java.base@17.0.15", 3000, 72000),
                new ClassEntry("[B", "java.base@17.0.15", 1000, 64000));
        assertThat(h.topByCount(1)).extracting(ClassEntry::className).containsExactly("java.lang.String");
    }
}
