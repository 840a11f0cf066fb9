package io.github.perfkit.core.report;

import io.github.perfkit.core.LatencySnapshot;
import io.github.perfkit.core.OperationStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The change per operation between two snapshots, over their sliding windows: throughput and
 * latency percentiles before and after, and the change in percent. Immutable.
 *
 * @param before the earlier snapshot's label
 * @param after the later snapshot's label
 * @param rows one row per operation present in either snapshot, largest p95 change first
 */
public record ReportComparison(String before, String after, List<Row> rows) {

    /** Compact constructor: copies. */
    public ReportComparison {
        rows = List.copyOf(rows);
    }

    /**
     * Compares two snapshots.
     *
     * @param before the earlier snapshot
     * @param after the later snapshot
     * @return the comparison
     */
    public static ReportComparison of(ReportSnapshot before, ReportSnapshot after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Map<String, LatencySnapshot[]> byKey = new LinkedHashMap<>();
        for (OperationStats s : before.operations()) {
            byKey.computeIfAbsent(key(s), k -> new LatencySnapshot[2])[0] = s.window();
        }
        for (OperationStats s : after.operations()) {
            byKey.computeIfAbsent(key(s), k -> new LatencySnapshot[2])[1] = s.window();
        }
        List<Row> rows = new ArrayList<>();
        byKey.forEach((k, v) -> rows.add(new Row(k, v[0], v[1])));
        rows.sort(Comparator.comparingDouble((Row r) -> r.p95ChangePercent() == null ? Double.NEGATIVE_INFINITY
                : Math.abs(r.p95ChangePercent())).reversed().thenComparing(Row::operation));
        return new ReportComparison(before.label(), after.label(), rows);
    }

    static String key(OperationStats s) {
        StringBuilder sb = new StringBuilder(s.name());
        s.tags().forEach(t -> sb.append(',').append(t.getKey()).append('=').append(t.getValue()));
        return sb.toString();
    }

    /**
     * One operation before and after.
     *
     * @param operation name and tags ({@code name,key=value,…})
     * @param before its window statistics before, or {@code null} if it did not exist
     * @param after its window statistics after, or {@code null} if it no longer exists
     */
    public record Row(String operation, @Nullable LatencySnapshot before, @Nullable LatencySnapshot after) {

        /**
         * Change of the p95 latency in percent.
         *
         * @return the change, or {@code null} when either side is missing or empty
         */
        public @Nullable Double p95ChangePercent() {
            return change(before == null ? 0 : before.p95Nanos(), after == null ? 0 : after.p95Nanos());
        }

        /**
         * Change of the p99 latency in percent.
         *
         * @return the change, or {@code null} when either side is missing or empty
         */
        public @Nullable Double p99ChangePercent() {
            return change(before == null ? 0 : before.p99Nanos(), after == null ? 0 : after.p99Nanos());
        }

        /**
         * Change of the throughput in percent.
         *
         * @return the change, or {@code null} when either side is missing or empty
         */
        public @Nullable Double rateChangePercent() {
            return change(before == null ? 0 : before.ratePerSecond(), after == null ? 0 : after.ratePerSecond());
        }

        private @Nullable Double change(double b, double a) {
            if (before == null || after == null || before.count() == 0 || after.count() == 0 || b == 0) {
                return null;
            }
            return (a - b) / b * 100;
        }
    }
}
