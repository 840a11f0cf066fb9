package io.github.perfkit.alerts.internal;

import io.github.perfkit.alerts.DataPoint;
import java.util.List;

/** Small statistics over points. Thread-safe: stateless. */
public final class Stats {

    private Stats() {
    }

    /**
     * Least-squares fit of value against time (seconds).
     *
     * @param slopePerSecond slope, value units per second
     * @param intercept value at time zero (the first point's time)
     * @param r2 coefficient of determination, 0..1 (0 when the values are constant)
     * @param n number of points
     */
    public record Fit(double slopePerSecond, double intercept, double r2, int n) {}

    /**
     * @param points points, at least 2 with distinct times
     * @return the fit, or null with fewer than 2 points or no time spread
     */
    public static @org.jspecify.annotations.Nullable Fit fit(List<DataPoint> points) {
        int n = points.size();
        if (n < 2) {
            return null;
        }
        long t0 = points.get(0).epochMillis();
        double sx = 0;
        double sy = 0;
        for (DataPoint p : points) {
            sx += (p.epochMillis() - t0) / 1000.0;
            sy += p.value();
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (DataPoint p : points) {
            double dx = (p.epochMillis() - t0) / 1000.0 - mx;
            double dy = p.value() - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx == 0) {
            return null;
        }
        double slope = sxy / sxx;
        double r2 = syy == 0 ? 0 : (sxy * sxy) / (sxx * syy);
        return new Fit(slope, my - slope * mx, r2, n);
    }

    /**
     * @param points points
     * @param from first index, inclusive
     * @param to last index, exclusive
     * @return {mean, population standard deviation}
     */
    public static double[] meanStd(List<DataPoint> points, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += points.get(i).value();
        }
        double mean = sum / n;
        double sq = 0;
        for (int i = from; i < to; i++) {
            double d = points.get(i).value() - mean;
            sq += d * d;
        }
        return new double[] {mean, Math.sqrt(sq / n)};
    }

    /**
     * @param bytes a byte count
     * @return a human size in MiB
     */
    public static String mib(double bytes) {
        return Series.fmt(bytes / (1024.0 * 1024.0)) + " MiB";
    }

    /**
     * @param seconds seconds
     * @return a human duration
     */
    public static String duration(double seconds) {
        if (seconds < 120) {
            return Series.fmt(Math.round(seconds)) + " s";
        }
        if (seconds < 7200) {
            return Series.fmt(Math.round(seconds / 60)) + " min";
        }
        return Series.fmt(Math.round(seconds / 360) / 10.0) + " h";
    }
}
