package io.github.perfkit.core.report;

import io.github.perfkit.core.history.HistoryQuery;
import io.github.perfkit.core.history.MetricsHistory;
import io.github.perfkit.core.history.TimeSeries;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The headline numbers of a report window, read from the metrics history by meter name so that perf-core
 * needs no dependency on the modules that record them: HTTP requests (perf-servlet's
 * {@code perfkit.http.server.requests} timer: count, rate, errors by class, mean and worst latency) and
 * the cache hit ratio (perf-cache's {@code perfkit.cache.gets} counters by level and result). A value
 * whose meters were never recorded is {@code NaN}.
 *
 * @param requests requests completed in the window (estimated from the sampled rates)
 * @param requestsPerSecond average request rate over the window
 * @param clientErrors 4xx responses
 * @param serverErrors 5xx responses
 * @param meanSeconds request-weighted mean latency
 * @param maxSeconds the worst latency the history saw
 * @param cacheHitRatio gets answered by any level over all gets
 */
record ReportSummary(double requests, double requestsPerSecond, double clientErrors, double serverErrors,
        double meanSeconds, double maxSeconds, double cacheHitRatio) {

    static final String HTTP = "perfkit.http.server.requests";
    static final String CACHE_GETS = "perfkit.cache.gets";

    static ReportSummary of(MetricsHistory history, Instant from, Instant to, Duration step) {
        double windowSeconds = Duration.between(from, to).toMillis() / 1000.0;
        List<TimeSeries> counts = query(history, HTTP + ".count", from, to, step);
        List<TimeSeries> gets = query(history, CACHE_GETS, from, to, step);
        double stepSeconds = stepSeconds(step, counts, gets);
        double requests = 0;
        double client = 0;
        double server = 0;
        double weightedMean = 0;
        double max = Double.NaN;
        boolean http = false;
        for (TimeSeries s : counts) {
            http = true;
            double n = total(s, stepSeconds);
            requests += n;
            String statusClass = tag(s.tags(), "status.class");
            if ("4xx".equals(statusClass)) {
                client += n;
            } else if ("5xx".equals(statusClass)) {
                server += n;
            }
        }
        for (TimeSeries s : query(history, HTTP + ".mean", from, to, step)) {
            TimeSeries count = counts.stream().filter(c -> c.tags().equals(s.tags())).findFirst().orElse(null);
            if (count == null) {
                continue;
            }
            for (TimeSeries.Point p : s.points()) {
                double rate = count.points().stream().filter(c -> c.epochMillis() == p.epochMillis())
                        .mapToDouble(TimeSeries.Point::avg).findFirst().orElse(0);
                weightedMean += p.avg() * rate * stepSeconds;
            }
        }
        for (TimeSeries s : query(history, HTTP + ".max", from, to, step)) {
            for (TimeSeries.Point p : s.points()) {
                max = Double.isNaN(max) ? p.max() : Math.max(max, p.max());
            }
        }
        double hits = 0;
        double l1Gets = 0;
        boolean cache = false;
        for (TimeSeries s : gets) {
            double n = total(s, stepSeconds);
            String result = tag(s.tags(), "result");
            if ("hit".equals(result)) {
                hits += n;
            }
            if ("l1".equals(tag(s.tags(), "level"))) {
                cache = true;
                l1Gets += n;
            }
        }
        if (!http) {
            return new ReportSummary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    cache && l1Gets > 0 ? hits / l1Gets : Double.NaN);
        }
        return new ReportSummary(requests, windowSeconds > 0 ? requests / windowSeconds : Double.NaN, client, server,
                requests > 0 ? weightedMean / requests : Double.NaN, max,
                cache && l1Gets > 0 ? hits / l1Gets : Double.NaN);
    }

    private static List<TimeSeries> query(MetricsHistory history, String name, Instant from, Instant to, Duration step) {
        return history.query(HistoryQuery.builder(name).tags(Tags.empty()).from(from).to(to).step(step).build());
    }

    /**
     * The width of the returned points: the history rounds the asked step up to its tier's resolution, so
     * it is read from the spacing of the points (the asked step when no series has two points).
     */
    @SafeVarargs
    private static double stepSeconds(Duration asked, List<TimeSeries>... sets) {
        long min = Long.MAX_VALUE;
        for (List<TimeSeries> set : sets) {
            for (TimeSeries s : set) {
                List<TimeSeries.Point> points = s.points();
                for (int i = 1; i < points.size(); i++) {
                    long d = points.get(i).epochMillis() - points.get(i - 1).epochMillis();
                    if (d > 0 && d < min) {
                        min = d;
                    }
                }
            }
        }
        return (min == Long.MAX_VALUE ? asked.toMillis() : min) / 1000.0;
    }

    /** A rate series' total: each point is an average rate over one step. */
    private static double total(TimeSeries s, double stepSeconds) {
        double sum = 0;
        for (TimeSeries.Point p : s.points()) {
            sum += p.avg() * stepSeconds;
        }
        return sum;
    }

    private static String tag(Tags tags, String key) {
        for (Tag t : tags) {
            if (t.getKey().equals(key)) {
                return t.getValue();
            }
        }
        return "";
    }
}
