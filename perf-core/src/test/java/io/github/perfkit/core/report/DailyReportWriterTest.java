package io.github.perfkit.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Perf;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DailyReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesYesterdaysReportOnceAfterMidnightAndKeepsOnlyTheNewestDays() throws Exception {
        MockClock clock = new MockClock();
        Instant start = Instant.parse("2026-03-01T22:00:00Z");
        clock.add(start.toEpochMilli() - clock.wallTime(), TimeUnit.MILLISECONDS);
        try (Perf perf = Perf.builder().registry(new SimpleMeterRegistry()).clock(clock).autoTick(false)
                .systemMetrics(false).build()) {
            DailyReportWriter writer = DailyReportWriter.manual(perf, dir, ZoneOffset.UTC, 2);
            // 2026-02-28's report is due at once (the writer has never written one).
            assertThat(writer.writeDue()).contains(LocalDate.parse("2026-02-28"));
            assertThat(writer.writeDue()).as("written once a day").isEmpty();

            try (var scope = perf.tracker().start("checkout")) {
                clock.add(Duration.ofMillis(40));
            }
            perf.tick();
            clock.add(Duration.ofDays(1));
            perf.tick();
            assertThat(writer.writeDue()).contains(LocalDate.parse("2026-03-01"));
            Path march1 = writer.fileFor(LocalDate.parse("2026-03-01"), "html");
            assertThat(Files.readString(march1)).startsWith("<!DOCTYPE html>").contains("checkout")
                    .contains("2026-03-01T00:00:00Z");
            assertThat(writer.fileFor(LocalDate.parse("2026-03-01"), "md")).exists();
            for (int day = 0; day < 2; day++) {
                clock.add(Duration.ofDays(1));
                perf.tick();
                assertThat(writer.writeDue()).isPresent();
            }
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted())
                        .as("keep = 2 days: older reports are deleted, no temporary files left")
                        .containsExactly("perfkit-report-2026-03-02.html", "perfkit-report-2026-03-02.md",
                                "perfkit-report-2026-03-03.html", "perfkit-report-2026-03-03.md");
            }

            // After a restart the writer does not write yesterday's report again.
            DailyReportWriter restarted = DailyReportWriter.manual(perf, dir, ZoneOffset.UTC, 2);
            assertThat(restarted.writeDue()).isEmpty();
        }
    }

    @Test
    void aBadSettingFailsFastAndAnUnwritableDirectoryNeverThrowsFromTheCheck() throws Exception {
        try (Perf perf = Perf.builder().registry(new SimpleMeterRegistry()).autoTick(false).systemMetrics(false).build()) {
            assertThatThrownBy(() -> DailyReportWriter.manual(perf, dir, ZoneOffset.UTC, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep");
            DailyReportWriter writer = DailyReportWriter.manual(perf, dir.resolve("reports"), ZoneOffset.UTC, 3);
            Files.delete(dir.resolve("reports"));
            Files.writeString(dir.resolve("reports"), "now a file, not a directory");
            assertThat(writer.writeDue()).isEmpty();
        }
    }
}
