package io.github.perfkit.alerts.internal;

import io.github.perfkit.alerts.DataPoint;
import io.github.perfkit.core.history.TimeSeries;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers turning history series into subjects, labels and points. Thread-safe: stateless. */
public final class Series {

    /** Which value of a history bucket to use. */
    public enum Pick { AVG, MIN, MAX }

    private Series() {
    }

    /**
     * @param name metric name
     * @param tags tags
     * @return {@code name} or {@code name{k=v,...}}
     */
    public static String subject(String name, Iterable<Tag> tags) {
        StringBuilder sb = new StringBuilder(name);
        boolean first = true;
        for (Tag t : tags) {
            sb.append(first ? '{' : ',').append(t.getKey()).append('=').append(t.getValue());
            first = false;
        }
        if (!first) {
            sb.append('}');
        }
        return sb.toString();
    }

    /**
     * @param tags tags
     * @return the tags as an ordered map
     */
    public static Map<String, String> labels(Iterable<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Tag t : tags) {
            m.put(t.getKey(), t.getValue());
        }
        return m;
    }

    /**
     * @param series a series
     * @param pick which bucket value
     * @return its points, oldest first
     */
    public static List<DataPoint> points(TimeSeries series, Pick pick) {
        List<DataPoint> out = new ArrayList<>(series.points().size());
        for (TimeSeries.Point p : series.points()) {
            double v = switch (pick) {
                case AVG -> p.avg();
                case MIN -> p.min();
                case MAX -> p.max();
            };
            if (Double.isFinite(v)) {
                out.add(new DataPoint(p.epochMillis(), v));
            }
        }
        return out;
    }

    /**
     * @param points points
     * @param max how many to keep
     * @return the last {@code max} points
     */
    public static List<DataPoint> tail(List<DataPoint> points, int max) {
        return points.size() <= max ? points : List.copyOf(points.subList(points.size() - max, points.size()));
    }

    /**
     * @param v a value
     * @return the value with up to 4 significant decimals
     */
    public static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
