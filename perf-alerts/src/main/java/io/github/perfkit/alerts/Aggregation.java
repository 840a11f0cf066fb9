package io.github.perfkit.alerts;

import io.github.perfkit.alerts.internal.ThresholdGroup;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the samples of a window become one value: last, avg, min, max, rate (change per second
 * between the first and last sample) or a percentile of the samples.
 *
 * <p>Thread-safe: immutable.
 */
public final class Aggregation {

    /** The kinds of aggregation. */
    public enum Kind {
        /** The latest sample. */
        LAST,
        /** The mean of the samples. */
        AVG,
        /** The smallest sample (bucket minima). */
        MIN,
        /** The largest sample (bucket maxima). */
        MAX,
        /** (last - first) / seconds between them. */
        RATE,
        /** A percentile of the samples (nearest rank). */
        PERCENTILE
    }

    private static final Aggregation LAST = new Aggregation(Kind.LAST, Double.NaN);
    private static final Aggregation AVG = new Aggregation(Kind.AVG, Double.NaN);
    private static final Aggregation MIN = new Aggregation(Kind.MIN, Double.NaN);
    private static final Aggregation MAX = new Aggregation(Kind.MAX, Double.NaN);
    private static final Aggregation RATE = new Aggregation(Kind.RATE, Double.NaN);

    private final Kind kind;
    private final double percentile;

    private Aggregation(Kind kind, double percentile) {
        this.kind = kind;
        this.percentile = percentile;
    }

    /** @return the latest sample */
    public static Aggregation last() {
        return LAST;
    }

    /** @return the mean of the samples */
    public static Aggregation avg() {
        return AVG;
    }

    /** @return the smallest sample */
    public static Aggregation min() {
        return MIN;
    }

    /** @return the largest sample */
    public static Aggregation max() {
        return MAX;
    }

    /** @return the change per second between the first and the last sample */
    public static Aggregation rate() {
        return RATE;
    }

    /**
     * A percentile of the samples.
     *
     * @param percentile in (0, 100]
     * @return the aggregation
     */
    public static Aggregation percentile(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + percentile);
        }
        return new Aggregation(Kind.PERCENTILE, percentile);
    }

    /**
     * Parses {@code last}, {@code avg}, {@code min}, {@code max}, {@code rate} or {@code pNN} (e.g. {@code p95}).
     *
     * @param text the text
     * @return the aggregation
     * @throws IllegalArgumentException if the text is none of these
     */
    public static Aggregation parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "last": return LAST;
            case "avg": case "mean": return AVG;
            case "min": return MIN;
            case "max": return MAX;
            case "rate": return RATE;
            default:
                if (t.startsWith("p") && t.length() > 1) {
                    try {
                        return percentile(Double.parseDouble(t.substring(1)));
                    } catch (NumberFormatException e) {
                        // fall through to the error below
                    }
                }
                throw new IllegalArgumentException("unknown aggregation '" + text
                        + "', expected last, avg, min, max, rate or pNN");
        }
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the percentile for {@link Kind#PERCENTILE}, NaN otherwise */
    public double percentileValue() {
        return percentile;
    }

    /**
     * Aggregates samples in time order.
     *
     * @param points the samples, oldest first
     * @return the value, NaN if there are no samples (or fewer than two for a rate)
     */
    public double apply(List<DataPoint> points) {
        Objects.requireNonNull(points, "points");
        int n = points.size();
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            DataPoint p = points.get(i);
            t[i] = p.epochMillis();
            v[i] = p.value();
        }
        return ThresholdGroup.aggregate(this, t, v, n, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Aggregation a && a.kind == kind && Double.compare(a.percentile, percentile) == 0;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(percentile);
    }

    @Override
    public String toString() {
        if (kind == Kind.PERCENTILE) {
            return "p" + (percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile));
        }
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
