package io.github.perfkit.examples.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a run of {@link LoadGenerator} measured: overall and per target (keyed by the target's template).
 *
 * <p>Immutable and thread-safe.
 *
 * @param elapsed how long the run took
 * @param overall all requests
 * @param byTarget per target template, in the order the targets were given
 */
public record LoadResult(Duration elapsed, LatencySummary overall, Map<String, LatencySummary> byTarget) {

    /**
     * Copies the map, keeping its order.
     *
     * @param elapsed how long the run took
     * @param overall all requests
     * @param byTarget per target template
     */
    public LoadResult {
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(overall, "overall");
        byTarget = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(byTarget, "byTarget")));
    }

    /** @return responses per second over the whole run */
    public double throughput() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : overall.requests() / seconds;
    }

    /**
     * A multi-line human-readable summary: throughput, percentiles and status classes, overall and per target.
     *
     * @return the summary
     */
    public String summary() {
        StringBuilder sb = new StringBuilder(512);
        sb.append(String.format(Locale.ROOT, "%d requests in %.1f s: %.1f req/s, %d errors (no response)%n",
                overall.requests(), elapsed.toNanos() / 1e9, throughput(), overall.errors()));
        sb.append(String.format(Locale.ROOT, "%-10s %9s %9s %9s %9s %9s  %s%n",
                "", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "status"));
        line(sb, "overall", overall);
        byTarget.forEach((name, s) -> line(sb, name, s));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, LatencySummary s) {
        sb.append(String.format(Locale.ROOT, "%-10s %9d %9.2f %9.2f %9.2f %9.2f  %s%s%n", name.length() > 10 ? "" : name,
                s.requests(), s.p50Micros() / 1e3, s.p95Micros() / 1e3, s.p99Micros() / 1e3, s.maxMicros() / 1e3,
                statuses(s), name.length() > 10 ? "  " + name : ""));
    }

    static String statuses(LatencySummary s) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(s.statusClasses()).forEach((k, v) -> sb.append(k).append('=').append(v).append(' '));
        if (s.errors() > 0) {
            sb.append("errors=").append(s.errors());
        }
        return sb.toString().trim();
    }
}
