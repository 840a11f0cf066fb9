package io.github.perfkit.core.report;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.internal.schedule.TickScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes yesterday's {@link PerformanceReport} to a directory once a day, as
 * {@code perfkit-report-YYYY-MM-DD.html} and {@code .md}, and keeps only the newest {@code keep} days.
 * A day is a calendar day in the given zone, read from the hub's clock; the report covers it from
 * midnight to midnight (as far as the metrics history reaches: its coarsest tier keeps 7 days).
 *
 * <pre>{@code
 * DailyReportWriter writer = DailyReportWriter.start(perf, Path.of("/var/log/myapp/perf"),
 *         ZoneId.systemDefault(), 14);
 * ...
 * writer.close();
 * }</pre>
 *
 * <p>The writer checks once a minute on its own daemon thread; a failure to write (disk full, directory
 * removed) is logged and retried at the next check, and never reaches the application. Files are written
 * to a temporary name and moved into place, so a reader never sees half a report. Thread-safe.
 */
public final class DailyReportWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DailyReportWriter.class);
    private static final Pattern FILE = Pattern.compile("perfkit-report-\\d{4}-\\d{2}-\\d{2}\\.(html|md)");
    private static final Duration CHECK_EVERY = Duration.ofMinutes(1);

    private final Perf perf;
    private final Path directory;
    private final ZoneId zone;
    private final int keep;
    private final @Nullable TickScheduler scheduler;
    private @Nullable LocalDate lastWritten;
    private boolean failureLogged;

    private DailyReportWriter(Perf perf, Path directory, ZoneId zone, int keep, boolean schedule) {
        this.perf = Objects.requireNonNull(perf, "perf");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.zone = Objects.requireNonNull(zone, "zone");
        if (keep < 1 || keep > 366) {
            throw new IllegalArgumentException("keep must be 1 to 366 days, was " + keep);
        }
        this.keep = keep;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the report directory " + directory, e);
        }
        if (!Files.isWritable(directory)) {
            throw new IllegalArgumentException("the report directory " + directory + " is not writable");
        }
        this.lastWritten = today().minusDays(1).equals(newestWritten().orElse(null)) ? today().minusDays(1) : null;
        if (schedule) {
            this.scheduler = new TickScheduler("perfkit-daily-report");
            scheduler.schedule("daily report", Duration.ofSeconds(5), CHECK_EVERY, this::writeDue);
        } else {
            this.scheduler = null;
        }
    }

    /**
     * Starts a writer that checks once a minute and writes the previous day's report after midnight.
     * A report already on disk for yesterday (from before a restart) is not written again.
     *
     * @param perf the hub whose history, operations, findings and health are reported
     * @param directory where reports go; created if missing
     * @param zone the zone whose midnight ends a day
     * @param keep how many days of reports to keep, 1 to 366
     * @return the running writer; {@link #close()} it with the hub
     * @throws IllegalArgumentException if {@code keep} is out of range or the directory is not writable
     * @throws UncheckedIOException if the directory cannot be created
     */
    public static DailyReportWriter start(Perf perf, Path directory, ZoneId zone, int keep) {
        return new DailyReportWriter(perf, directory, zone, keep, true);
    }

    /**
     * A writer without its own thread: the caller decides when to {@link #writeDue()} (tests driven by a
     * fake clock, or an application with its own scheduler).
     *
     * @param perf the hub
     * @param directory where reports go; created if missing
     * @param zone the zone whose midnight ends a day
     * @param keep how many days of reports to keep, 1 to 366
     * @return the writer
     * @throws IllegalArgumentException if {@code keep} is out of range or the directory is not writable
     * @throws UncheckedIOException if the directory cannot be created
     */
    public static DailyReportWriter manual(Perf perf, Path directory, ZoneId zone, int keep) {
        return new DailyReportWriter(perf, directory, zone, keep, false);
    }

    /**
     * Writes the previous day's report if it has not been written yet, then deletes reports beyond
     * {@code keep} days. Never throws: failures are logged (once at WARN, then at DEBUG) and retried on the
     * next call.
     *
     * @return the day written, if one was
     */
    public synchronized Optional<LocalDate> writeDue() {
        LocalDate yesterday = today().minusDays(1);
        if (yesterday.equals(lastWritten)) {
            return Optional.empty();
        }
        try {
            Instant from = yesterday.atStartOfDay(zone).toInstant();
            Instant to = yesterday.plusDays(1).atStartOfDay(zone).toInstant();
            PerformanceReport report = PerformanceReport.of(perf, from, to);
            write(yesterday, "html", report.toHtml());
            write(yesterday, "md", report.toMarkdown());
            lastWritten = yesterday;
            failureLogged = false;
            prune();
            LOG.info("Perfkit: wrote the performance report for {} to {}", yesterday, directory);
            return Optional.of(yesterday);
        } catch (IOException | RuntimeException e) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.warn("Perfkit: could not write the daily performance report for {} to {}; retrying every minute",
                        yesterday, directory, e);
            } else {
                LOG.debug("Perfkit: daily report for {} still failing", yesterday, e);
            }
            return Optional.empty();
        }
    }

    /**
     * The report file of one day.
     *
     * @param day the day
     * @param extension {@code html} or {@code md}
     * @return its path in the directory (it may not exist)
     */
    public Path fileFor(LocalDate day, String extension) {
        return directory.resolve("perfkit-report-" + day + "." + extension);
    }

    /** Stops the writer's thread; reports on disk stay. Idempotent. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private LocalDate today() {
        return Instant.ofEpochMilli(perf.clock().wallTime()).atZone(zone).toLocalDate();
    }

    private void write(LocalDate day, String extension, String content) throws IOException {
        Path target = fileFor(day, extension);
        Path tmp = directory.resolve("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private List<Path> reports() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path p : stream) {
                if (FILE.matcher(p.getFileName().toString()).matches()) {
                    files.add(p);
                }
            }
        }
        return files;
    }

    private Optional<LocalDate> newestWritten() {
        try {
            return reports().stream().map(DailyReportWriter::dayOf).max(LocalDate::compareTo);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void prune() throws IOException {
        LocalDate oldestKept = today().minusDays(keep);
        for (Path p : reports()) {
            if (dayOf(p).isBefore(oldestKept)) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static LocalDate dayOf(Path report) {
        String name = report.getFileName().toString();
        return LocalDate.parse(name.substring("perfkit-report-".length(), "perfkit-report-".length() + 10));
    }
}
