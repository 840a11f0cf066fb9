package io.github.perfkit.core.report;

import io.github.perfkit.core.LatencySnapshot;
import io.github.perfkit.core.OperationStats;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.ProfileTree;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.health.HealthReport;
import io.github.perfkit.core.history.HistoryQuery;
import io.github.perfkit.core.history.TimeSeries;
import io.github.perfkit.core.metrics.MetricNames;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * A performance report of one hub for a time window: system and JVM charts from the metrics history
 * (inline SVG), the slowest operations, the slowest requests with their profile trees, the findings
 * and the health — as one self-contained HTML page (no script, no external resource) or as Markdown.
 * Optionally with a before/after {@link ReportComparison}.
 *
 * <pre>{@code
 * Instant now = Instant.now();
 * String html = PerformanceReport.of(perf, now.minus(Duration.ofHours(1)), now).toHtml();
 * Files.writeString(Path.of("report.html"), html);
 * }</pre>
 *
 * <p>Immutable and thread-safe; every value written into the page is escaped.
 */
public final class PerformanceReport {

    static final int TOP = 15;
    static final int POINTS = 240;
    static final List<ChartSpec> CHARTS = List.of(
            new ChartSpec("System CPU", MetricNames.SYSTEM_CPU_USAGE, v -> pct(v)),
            new ChartSpec("Process CPU", MetricNames.JVM_CPU_USAGE, v -> pct(v)),
            new ChartSpec("Heap used", MetricNames.JVM_HEAP_USED, v -> mb(v)),
            new ChartSpec("GC pressure (time in GC)", MetricNames.JVM_GC_PRESSURE, v -> pct(v)),
            new ChartSpec("Live threads", MetricNames.JVM_THREADS_LIVE, v -> String.format(Locale.ROOT, "%.0f", v)));

    private final String title;
    private final Instant from;
    private final Instant to;
    private final List<Chart> charts;
    private final List<OperationStats> operations;
    private final List<ProfileTree> slowRequests;
    private final List<Finding> findings;
    private final HealthReport health;
    private final ReportSummary summary;
    private final List<String[]> alerts;
    private final @Nullable ReportComparison comparison;

    private PerformanceReport(String title, Instant from, Instant to, List<Chart> charts, List<OperationStats> operations,
            List<ProfileTree> slowRequests, List<Finding> findings, HealthReport health, ReportSummary summary,
            List<String[]> alerts, @Nullable ReportComparison comparison) {
        this.title = title;
        this.from = from;
        this.to = to;
        this.charts = charts;
        this.operations = operations;
        this.slowRequests = slowRequests;
        this.findings = findings;
        this.health = health;
        this.summary = summary;
        this.alerts = alerts;
        this.comparison = comparison;
    }

    /**
     * Gathers a report of {@code perf} for the window {@code [from, to]}.
     *
     * @param perf the hub
     * @param from start of the window
     * @param to end of the window, after {@code from}
     * @return the report
     * @throws IllegalArgumentException if {@code from} is not before {@code to}
     */
    public static PerformanceReport of(Perf perf, Instant from, Instant to) {
        Objects.requireNonNull(perf, "perf");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
        }
        Duration step = Duration.ofSeconds(Math.max(1, Duration.between(from, to).toSeconds() / POINTS));
        List<Chart> charts = new ArrayList<>();
        for (ChartSpec spec : CHARTS) {
            List<TimeSeries> series = perf.history().query(HistoryQuery.builder(spec.metric())
                    .tags(Tags.empty()).from(from).to(to).step(step).build());
            List<TimeSeries.Point> points = series.stream().filter(s -> !s.tags().iterator().hasNext())
                    .findFirst().or(() -> series.stream().findFirst())
                    .map(TimeSeries::points).orElse(List.of());
            charts.add(new Chart(spec, points));
        }
        List<OperationStats> ops = perf.tracker().stats().stream()
                .sorted(Comparator.comparingLong((OperationStats s) -> s.window().p95Nanos()).reversed())
                .limit(TOP).toList();
        List<ProfileTree> slow = perf.profiler().slowest().stream()
                .filter(t -> !t.startTime().isBefore(from) && !t.startTime().isAfter(to))
                .limit(TOP).toList();
        List<Finding> found = perf.diagnosis().all().stream()
                .filter(f -> !f.lastSeen().isBefore(from) && !f.firstSeen().isAfter(to))
                .toList();
        return new PerformanceReport("Perfkit performance report", from, to, List.copyOf(charts), ops, slow, found,
                perf.health().checkAll(), ReportSummary.of(perf.history(), from, to, step),
                alertRows(perf.statusSections().get("alerts"), from, to), null);
    }

    /**
     * This report with a before/after comparison appended.
     *
     * @param comparison the comparison
     * @return a new report
     */
    public PerformanceReport withComparison(ReportComparison comparison) {
        return new PerformanceReport(title, from, to, charts, operations, slowRequests, findings, health, summary, alerts,
                Objects.requireNonNull(comparison, "comparison"));
    }

    /**
     * The report as one self-contained HTML page.
     *
     * @return the page
     */
    public String toHtml() {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}"
                        + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:right}td:first-child,th:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;"
                        + "gap:1em}.chart{border:1px solid #ddd;padding:.5em}.up{color:#b00}.down{color:#070}"
                        + "pre{background:#f6f6f6;padding:.5em}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<p>").append(esc(from.toString())).append(" to ")
                .append(esc(to.toString())).append(" &middot; health: <b>").append(esc(health.status().name()))
                .append("</b></p>\n<h2>Summary</h2>\n<table>\n");
        for (String[] row : summaryRows()) {
            h.append("<tr><td>").append(esc(row[0])).append("</td><td>").append(esc(row[1])).append("</td></tr>\n");
        }
        h.append("</table>\n<h2>System and JVM</h2>\n<div class=\"charts\">\n");
        for (Chart c : charts) {
            h.append("<div class=\"chart\"><div>").append(esc(c.spec().title())).append("</div>")
                    .append(svg(c)).append("</div>\n");
        }
        h.append("</div>\n<h2>Slowest operations (last window)</h2>\n<table><tr><th>operation</th><th>count</th>"
                + "<th>rate/s</th><th>mean ms</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>\n");
        for (OperationStats s : operations) {
            LatencySnapshot w = s.window();
            h.append("<tr><td>").append(esc(ReportComparison.key(s))).append("</td><td>").append(w.count())
                    .append("</td><td>").append(num(w.ratePerSecond())).append("</td><td>").append(ms(w.meanNanos()))
                    .append("</td><td>").append(ms(w.p50Nanos())).append("</td><td>").append(ms(w.p95Nanos()))
                    .append("</td><td>").append(ms(w.p99Nanos())).append("</td><td>").append(ms(w.maxNanos()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Slowest requests</h2>\n");
        if (slowRequests.isEmpty()) {
            h.append("<p>None in this window.</p>\n");
        }
        for (ProfileTree t : slowRequests) {
            h.append("<details><summary>").append(esc(t.name())).append(" &middot; ").append(ms(t.durationNanos()))
                    .append(" ms &middot; ").append(esc(t.startTime().toString())).append("</summary><pre>")
                    .append(esc(tree(t))).append("</pre></details>\n");
        }
        h.append("<h2>Findings</h2>\n");
        if (findings.isEmpty()) {
            h.append("<p>None in this window.</p>\n");
        } else {
            h.append("<table><tr><th>category</th><th>culprit</th><th>subject</th><th>state</th><th>recommendation</th></tr>\n");
            for (Finding f : findings) {
                h.append("<tr><td>").append(esc(f.category().name())).append("</td><td>").append(esc(f.culprit()))
                        .append("</td><td>").append(esc(Objects.toString(f.subject(), ""))).append("</td><td>")
                        .append(f.active() ? "active" : "resolved").append("</td><td style=\"text-align:left\">")
                        .append(esc(f.recommendation())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Alerts</h2>\n");
        if (alerts.isEmpty()) {
            h.append("<p>None in this window (or no alert engine).</p>\n");
        } else {
            h.append("<table><tr><th>when</th><th>state</th><th>level</th><th>rule</th><th>subject</th><th>title</th></tr>\n");
            for (String[] a : alerts) {
                h.append("<tr>");
                for (String cell : a) {
                    h.append("<td style=\"text-align:left\">").append(esc(cell)).append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Health</h2>\n<table><tr><th>check</th><th>status</th><th>message</th></tr>\n");
        health.components().forEach((name, r) -> h.append("<tr><td>").append(esc(name)).append("</td><td>")
                .append(esc(r.status().name())).append("</td><td style=\"text-align:left\">")
                .append(esc(Objects.toString(r.message(), ""))).append("</td></tr>\n"));
        h.append("</table>\n");
        if (comparison != null) {
            h.append("<h2>").append(esc(comparison.before())).append(" &rarr; ").append(esc(comparison.after()))
                    .append("</h2>\n<table><tr><th>operation</th><th>p95 before ms</th><th>p95 after ms</th>"
                            + "<th>p95 change</th><th>p99 change</th><th>rate change</th></tr>\n");
            for (ReportComparison.Row r : comparison.rows()) {
                h.append("<tr><td>").append(esc(r.operation())).append("</td><td>")
                        .append(r.before() == null ? "&ndash;" : ms(r.before().p95Nanos())).append("</td><td>")
                        .append(r.after() == null ? "&ndash;" : ms(r.after().p95Nanos())).append("</td>")
                        .append(changeCell(r.p95ChangePercent())).append(changeCell(r.p99ChangePercent()))
                        .append(changeCell(r.rateChangePercent())).append("</tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /**
     * The report as Markdown (charts summarised as min / avg / max).
     *
     * @return the Markdown text
     */
    public String toMarkdown() {
        StringBuilder m = new StringBuilder(8_192);
        m.append("# ").append(md(title)).append("\n\n").append(from).append(" to ").append(to)
                .append(" · health: **").append(health.status()).append("**\n\n## Summary\n\n| | |\n|---|---:|\n");
        for (String[] row : summaryRows()) {
            m.append("| ").append(md(row[0])).append(" | ").append(md(row[1])).append(" |\n");
        }
        m.append("\n## System and JVM\n\n")
                .append("| metric | min | avg | max |\n|---|---:|---:|---:|\n");
        for (Chart c : charts) {
            if (c.points().isEmpty()) {
                m.append("| ").append(md(c.spec().title())).append(" | – | – | – |\n");
                continue;
            }
            double min = c.points().stream().mapToDouble(TimeSeries.Point::min).min().orElse(Double.NaN);
            double max = c.points().stream().mapToDouble(TimeSeries.Point::max).max().orElse(Double.NaN);
            double avg = c.points().stream().mapToDouble(TimeSeries.Point::avg).average().orElse(Double.NaN);
            DoubleFunction<String> f = c.spec().format();
            m.append("| ").append(md(c.spec().title())).append(" | ").append(f.apply(min)).append(" | ")
                    .append(f.apply(avg)).append(" | ").append(f.apply(max)).append(" |\n");
        }
        m.append("\n## Slowest operations (last window)\n\n| operation | count | rate/s | p50 ms | p95 ms | p99 ms |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (OperationStats s : operations) {
            LatencySnapshot w = s.window();
            m.append("| ").append(md(ReportComparison.key(s))).append(" | ").append(w.count()).append(" | ")
                    .append(num(w.ratePerSecond())).append(" | ").append(ms(w.p50Nanos())).append(" | ")
                    .append(ms(w.p95Nanos())).append(" | ").append(ms(w.p99Nanos())).append(" |\n");
        }
        m.append("\n## Findings\n\n");
        if (findings.isEmpty()) {
            m.append("None in this window.\n");
        }
        for (Finding f : findings) {
            m.append("- **").append(f.category()).append("** `").append(md(f.culprit())).append("`")
                    .append(f.active() ? "" : " (resolved)").append(": ").append(md(f.recommendation())).append('\n');
        }
        m.append("\n## Alerts\n\n");
        if (alerts.isEmpty()) {
            m.append("None in this window (or no alert engine).\n");
        } else {
            m.append("| when | state | level | rule | subject | title |\n|---|---|---|---|---|---|\n");
            for (String[] a : alerts) {
                m.append('|');
                for (String cell : a) {
                    m.append(' ').append(md(cell)).append(" |");
                }
                m.append('\n');
            }
        }
        if (comparison != null) {
            m.append("\n## ").append(md(comparison.before())).append(" → ").append(md(comparison.after()))
                    .append("\n\n| operation | p95 change | p99 change | rate change |\n|---|---:|---:|---:|\n");
            for (ReportComparison.Row r : comparison.rows()) {
                m.append("| ").append(md(r.operation())).append(" | ").append(percent(r.p95ChangePercent()))
                        .append(" | ").append(percent(r.p99ChangePercent())).append(" | ")
                        .append(percent(r.rateChangePercent())).append(" |\n");
            }
        }
        return m.toString();
    }

    // ------------------------------------------------------------------ rendering

    private static String svg(Chart c) {
        int width = 360;
        int height = 120;
        if (c.points().isEmpty()) {
            return "<svg width=\"" + width + "\" height=\"" + height
                    + "\"><text x=\"10\" y=\"60\" fill=\"#888\">no data in this window</text></svg>";
        }
        long t0 = c.points().get(0).epochMillis();
        long t1 = Math.max(t0 + 1, c.points().get(c.points().size() - 1).epochMillis());
        double lo = c.points().stream().mapToDouble(TimeSeries.Point::min).min().orElse(0);
        double hi = c.points().stream().mapToDouble(TimeSeries.Point::max).max().orElse(1);
        if (hi - lo < 1e-12) {
            hi = lo + 1;
        }
        StringBuilder avg = new StringBuilder();
        StringBuilder max = new StringBuilder();
        for (TimeSeries.Point p : c.points()) {
            double x = 30 + (p.epochMillis() - t0) * (width - 40.0) / (t1 - t0);
            avg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(p.avg(), lo, hi, height)));
            max.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(p.max(), lo, hi, height)));
        }
        DoubleFunction<String> f = c.spec().format();
        return "<svg width=\"" + width + "\" height=\"" + height + "\" role=\"img\">"
                + "<polyline fill=\"none\" stroke=\"#e8a\" stroke-dasharray=\"3,2\" points=\"" + max.toString().trim() + "\"/>"
                + "<polyline fill=\"none\" stroke=\"#36c\" stroke-width=\"1.5\" points=\"" + avg.toString().trim() + "\"/>"
                + "<text x=\"2\" y=\"12\" font-size=\"10\">" + esc(f.apply(hi)) + "</text>"
                + "<text x=\"2\" y=\"" + (height - 4) + "\" font-size=\"10\">" + esc(f.apply(lo)) + "</text></svg>";
    }

    private static double y(double v, double lo, double hi, int height) {
        return (height - 10) - (v - lo) * (height - 20) / (hi - lo);
    }

    private static String tree(ProfileTree t) {
        StringBuilder sb = new StringBuilder();
        appendNode(sb, t.root(), 0);
        return sb.toString();
    }

    private static void appendNode(StringBuilder sb, io.github.perfkit.core.ProfileNode n, int depth) {
        sb.append("  ".repeat(depth)).append(n.name()).append("  +").append(ms(n.startOffsetNanos())).append(" ms, ")
                .append(n.finished() ? ms(n.durationNanos()) + " ms" : "unfinished");
        if (n.queryCount() > 0) {
            sb.append(", ").append(n.queryCount()).append(" queries");
        }
        sb.append('\n');
        n.children().forEach(c -> appendNode(sb, c, depth + 1));
    }

    private static String changeCell(@Nullable Double change) {
        if (change == null) {
            return "<td>&ndash;</td>";
        }
        return "<td class=\"" + (change > 0 ? "up" : "down") + "\">" + esc(percent(change)) + "</td>";
    }

    private static String percent(@Nullable Double change) {
        return change == null ? "–" : String.format(Locale.ROOT, "%+.1f%%", change);
    }

    /**
     * The alert engine's active alerts and its events inside the window, from its status section (perf-alerts
     * contributes {@code alerts}; perf-core reads it by shape, without depending on it). Rows: when, state,
     * level, rule, subject, title.
     */
    static List<String[]> alertRows(@Nullable Map<String, Object> section, Instant from, Instant to) {
        List<String[]> rows = new ArrayList<>();
        if (section == null) {
            return rows;
        }
        if (section.get("active") instanceof List<?> active) {
            for (Object o : active) {
                if (o instanceof Map<?, ?> a) {
                    rows.add(new String[] {text(a.get("since")), "active " + text(a.get("state")).toLowerCase(Locale.ROOT),
                            text(a.get("level")), text(a.get("rule")), text(a.get("subject")), text(a.get("title"))});
                }
            }
        }
        if (section.get("recent") instanceof List<?> recent) {
            for (Object o : recent) {
                if (o instanceof Map<?, ?> e) {
                    Instant at;
                    try {
                        at = Instant.parse(text(e.get("at")));
                    } catch (java.time.format.DateTimeParseException bad) {
                        continue;
                    }
                    if (!at.isBefore(from) && !at.isAfter(to)) {
                        rows.add(new String[] {at.toString(), text(e.get("kind")).toLowerCase(Locale.ROOT),
                                text(e.get("level")), text(e.get("rule")), text(e.get("subject")), text(e.get("title"))});
                    }
                }
            }
        }
        return rows.size() > 2 * TOP ? List.copyOf(rows.subList(0, 2 * TOP)) : rows;
    }

    private static String text(@Nullable Object o) {
        return o == null ? "" : o.toString();
    }

    /** Label and value of each summary line; absent measurements say so rather than show zeros. */
    private List<String[]> summaryRows() {
        ReportSummary x = summary;
        String none = "not recorded (no perf-servlet filter)";
        List<String[]> rows = new ArrayList<>();
        if (Double.isNaN(x.requests())) {
            rows.add(new String[] {"HTTP requests", none});
        } else {
            rows.add(new String[] {"HTTP requests", String.format(Locale.ROOT, "%.0f (%.2f/s)", x.requests(),
                    x.requestsPerSecond())});
            rows.add(new String[] {"5xx errors", String.format(Locale.ROOT, "%.0f (%s)", x.serverErrors(),
                    x.requests() > 0 ? pct(x.serverErrors() / x.requests()) : "–")});
            rows.add(new String[] {"4xx responses", String.format(Locale.ROOT, "%.0f (%s)", x.clientErrors(),
                    x.requests() > 0 ? pct(x.clientErrors() / x.requests()) : "–")});
            rows.add(new String[] {"mean latency", Double.isNaN(x.meanSeconds()) ? "–" : ms(x.meanSeconds() * 1e9) + " ms"});
            rows.add(new String[] {"worst latency", Double.isNaN(x.maxSeconds()) ? "–" : ms(x.maxSeconds() * 1e9) + " ms"});
        }
        rows.add(new String[] {"cache hit ratio", Double.isNaN(x.cacheHitRatio()) ? "not recorded (no perf-cache)"
                : pct(x.cacheHitRatio())});
        rows.add(new String[] {"findings", Integer.toString(findings.size())});
        return rows;
    }

    private static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String mb(double v) {
        return String.format(Locale.ROOT, "%.0f MB", v / (1024 * 1024));
    }

    /** HTML text and attribute escaping. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Markdown table-cell escaping: pipes, backticks, HTML and line breaks. */
    static String md(String s) {
        return esc(s).replace("|", "\\|").replace("`", "\\`").replace("\r", " ").replace("\n", " ");
    }

    record ChartSpec(String title, String metric, DoubleFunction<String> format) {}

    record Chart(ChartSpec spec, List<TimeSeries.Point> points) {}
}
