package io.github.perfkit.alerts.internal;

import io.github.perfkit.alerts.Aggregation;
import io.github.perfkit.alerts.DataPoint;
import io.github.perfkit.alerts.Finding;
import io.github.perfkit.alerts.RuleContext;
import io.github.perfkit.alerts.ThresholdRule;
import io.github.perfkit.core.history.TimeSeries;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The aggregated values of every series of one metric + tags over one window, with one aggregation
 * (and optional ratio denominator): what all threshold rules asking the same question share within one
 * evaluation. {@link #compute} fills primitive arrays that are reused from one evaluation to the next,
 * so the steady state allocates only what the history query itself returns.
 *
 * <p>Not thread-safe: the engine uses it under its lock; {@link ThresholdRule#evaluate} uses a fresh one.
 */
public final class ThresholdGroup {

    /** Points kept as the "fired by" evidence of a finding. */
    public static final int MAX_POINTS = 20;
    private static final int MAX_CACHED_SUBJECTS = 4096;

    /**
     * What rules must share to share a group.
     *
     * @param metric the metric
     * @param tags the tags a series must have
     * @param window the window
     * @param aggregation the aggregation
     * @param ratioTo the denominator metric, or null
     */
    public record Key(String metric, Tags tags, Duration window, Aggregation aggregation, @Nullable String ratioTo) {

        /**
         * @param rule a threshold rule
         * @return its key
         */
        public static Key of(ThresholdRule rule) {
            return new Key(rule.metric(), rule.tags(), rule.window(), rule.aggregation(), rule.ratioTo());
        }
    }

    private final Key key;
    private final Series.Pick pick;
    private final Map<Tags, String> subjects = new HashMap<>();
    private long evaluation = Long.MIN_VALUE;
    private @Nullable RuntimeException error;
    private int size;
    private String[] subject = new String[0];
    private TimeSeries[] series = new TimeSeries[0];
    private double[] value = new double[0];
    private double[] denominator = new double[0];
    private long[] times = new long[0];
    private double[] samples = new double[0];
    private double[] scratch = new double[0];

    /**
     * @param key what the group computes
     */
    public ThresholdGroup(Key key) {
        this.key = key;
        this.pick = switch (key.aggregation().kind()) {
            case MAX -> Series.Pick.MAX;
            case MIN -> Series.Pick.MIN;
            default -> Series.Pick.AVG;
        };
    }

    /** @return the key */
    public Key key() {
        return key;
    }

    /**
     * Computes the values for one evaluation, once: later calls with the same evaluation number return
     * at once (and rethrow the failure of the first, so every rule of the group counts as failed).
     *
     * @param context the evaluation context (its window cache shares the query with other groups)
     * @param evaluationNumber the number of the evaluation
     * @throws RuntimeException whatever the history query threw
     */
    public void compute(RuleContext context, long evaluationNumber) {
        if (evaluation == evaluationNumber) {
            if (error != null) {
                throw error;
            }
            return;
        }
        evaluation = evaluationNumber;
        error = null;
        size = 0;
        try {
            fill(context);
        } catch (RuntimeException e) {
            error = e;
            throw e;
        }
    }

    private void fill(RuleContext context) {
        List<TimeSeries> all = context.window(key.metric(), key.tags(), key.window());
        int n = all.size();
        if (subject.length < n) {
            int cap = Math.max(n, subject.length * 2);
            subject = Arrays.copyOf(subject, cap);
            series = Arrays.copyOf(series, cap);
            value = Arrays.copyOf(value, cap);
            denominator = Arrays.copyOf(denominator, cap);
        }
        if (subjects.size() > MAX_CACHED_SUBJECTS) {
            subjects.clear();
        }
        String ratioTo = key.ratioTo();
        for (int j = 0; j < n; j++) {
            TimeSeries s = all.get(j);
            double d = 1;
            if (ratioTo != null) {
                d = context.history().latest(ratioTo, s.tags()).map(TimeSeries.Point::avg).orElse(Double.NaN);
                if (!(d > 0)) {
                    continue;
                }
            }
            int count = samples(s, d);
            double v = aggregate(key.aggregation(), times, samples, count);
            if (Double.isNaN(v)) {
                continue;
            }
            String sub = subjects.get(s.tags());
            if (sub == null) {
                sub = Series.subject(key.metric(), s.tags());
                subjects.put(s.tags(), sub);
            }
            subject[size] = sub;
            series[size] = s;
            value[size] = v;
            denominator[size] = d;
            size++;
        }
        // drop references to the previous evaluation's series beyond the current size
        Arrays.fill(series, size, series.length, null);
    }

    private int samples(TimeSeries s, double d) {
        List<TimeSeries.Point> points = s.points();
        int n = points.size();
        if (times.length < n) {
            times = new long[Math.max(n, times.length * 2)];
            samples = new double[times.length];
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            TimeSeries.Point p = points.get(i);
            double v = switch (pick) {
                case AVG -> p.avg();
                case MIN -> p.min();
                case MAX -> p.max();
            };
            if (Double.isFinite(v)) {
                times[count] = p.epochMillis();
                samples[count] = v / d;
                count++;
            }
        }
        return count;
    }

    /**
     * Aggregates primitive samples (the single implementation behind {@link Aggregation#apply}).
     *
     * @param aggregation the aggregation
     * @param t sample times, oldest first
     * @param v sample values
     * @param n how many samples
     * @param sortScratch scratch space for a percentile, at least {@code n} long, or null to allocate
     * @return the value, NaN without samples (or with fewer than two for a rate)
     */
    public static double aggregate(Aggregation aggregation, long[] t, double[] v, int n, double @Nullable [] sortScratch) {
        if (n == 0) {
            return Double.NaN;
        }
        switch (aggregation.kind()) {
            case LAST:
                return v[n - 1];
            case AVG: {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += v[i];
                }
                return sum / n;
            }
            case MIN: {
                double m = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    m = Math.min(m, v[i]);
                }
                return m;
            }
            case MAX: {
                double m = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    m = Math.max(m, v[i]);
                }
                return m;
            }
            case RATE: {
                if (n < 2) {
                    return Double.NaN;
                }
                double seconds = (t[n - 1] - t[0]) / 1000.0;
                return seconds <= 0 ? Double.NaN : (v[n - 1] - v[0]) / seconds;
            }
            default: {
                double[] sorted = sortScratch != null && sortScratch.length >= n ? sortScratch : new double[n];
                System.arraycopy(v, 0, sorted, 0, n);
                Arrays.sort(sorted, 0, n);
                int rank = (int) Math.ceil(aggregation.percentileValue() / 100.0 * n);
                return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
            }
        }
    }

    private double aggregate(Aggregation aggregation, long[] t, double[] v, int n) {
        if (aggregation.kind() == Aggregation.Kind.PERCENTILE && scratch.length < n) {
            scratch = new double[Math.max(n, scratch.length * 2)];
        }
        return aggregate(aggregation, t, v, n, scratch);
    }

    /** @return the number of series with a value in this evaluation */
    public int size() {
        return size;
    }

    /**
     * @param i a series index below {@link #size()}
     * @return its aggregated value
     */
    public double value(int i) {
        return value[i];
    }

    /**
     * @param i a series index below {@link #size()}
     * @return its subject
     */
    public String subject(int i) {
        return subject[i];
    }

    /** @return the number of the evaluation the current values belong to */
    public long evaluation() {
        return evaluation;
    }

    /**
     * Builds the active finding of series {@code i} (only for active ones: it allocates).
     *
     * @param rule the rule
     * @param i a series index below {@link #size()}
     * @return the finding
     */
    public Finding finding(ThresholdRule rule, int i) {
        TimeSeries s = series[i];
        List<DataPoint> points = Series.points(s, pick);
        double d = denominator[i];
        if (d != 1) {
            List<DataPoint> ratios = new ArrayList<>(points.size());
            for (DataPoint p : points) {
                ratios.add(new DataPoint(p.epochMillis(), p.value() / d));
            }
            points = ratios;
        }
        return new Finding(subject[i], Series.labels(s.tags()), true, value[i], describe(rule, subject[i], value[i]),
                Series.tail(points, MAX_POINTS));
    }

    /**
     * @param rule the rule
     * @param i a series index below {@link #size()}
     * @return an inactive finding of series {@code i} (no text, no points)
     */
    public Finding inactive(ThresholdRule rule, int i) {
        return new Finding(subject[i], Map.of(), false, value[i], "", List.of());
    }

    /**
     * The description of an active finding of a threshold rule.
     *
     * @param rule the rule
     * @param subject the subject
     * @param value the aggregated value
     * @return the description
     */
    public static String describe(ThresholdRule rule, String subject, double value) {
        double threshold = rule.threshold();
        double resolve = rule.resolveThreshold();
        return rule.aggregation() + " of " + subject + (rule.ratioTo() == null ? "" : " / " + rule.ratioTo())
                + " over " + rule.window().toSeconds() + "s is " + Series.fmt(value) + " (fires "
                + rule.comparison().symbol() + " " + Series.fmt(threshold)
                + (resolve != threshold ? ", resolves past " + Series.fmt(resolve) : "") + ")";
    }

    /**
     * Evaluates one threshold rule on its own (outside an engine, or as a composite's child).
     *
     * @param rule the rule
     * @param context the context
     * @return one finding per series with a value
     */
    public static List<Finding> evaluate(ThresholdRule rule, RuleContext context) {
        ThresholdGroup g = new ThresholdGroup(Key.of(rule));
        g.compute(context, 0);
        List<Finding> out = new ArrayList<>(g.size());
        for (int i = 0; i < g.size(); i++) {
            boolean wasActive = context.isActive(rule.name(), g.subject(i));
            boolean active = rule.comparison().test(g.value(i),
                    wasActive ? rule.resolveThreshold() : rule.threshold());
            out.add(active ? g.finding(rule, i) : g.inactive(rule, i));
        }
        return out;
    }
}
