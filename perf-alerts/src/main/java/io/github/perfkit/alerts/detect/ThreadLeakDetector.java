package io.github.perfkit.alerts.detect;

import io.github.perfkit.alerts.AbstractRule;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.DataPoint;
import io.github.perfkit.alerts.Finding;
import io.github.perfkit.alerts.RuleContext;
import io.github.perfkit.alerts.internal.Series;
import io.github.perfkit.alerts.internal.Stats;
import io.github.perfkit.core.history.TimeSeries;
import io.github.perfkit.core.metrics.MetricNames;
import io.micrometer.core.instrument.Tags;
import io.github.perfkit.core.diagnostics.ThreadDiagnostics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread leak: live threads ({@code perfkit.jvm.threads.live}) rising steadily over the window
 * (least-squares slope at least {@code minThreadsPerMinute}, R&sup2; at least {@code minR2}, growth
 * at least {@code minGrowth}), judged once the samples span 40 % of the window (so the threads a starting
 * application creates are not a leak). The description names the thread-name prefixes that grew the most,
 * from a supplier of thread counts by name prefix (default: the live threads of this JVM, names with
 * digit runs replaced by {@code #}, e.g. {@code pool-#-thread-#}); the detector keeps snapshots of that
 * supplier over the window (at most one per {@code window/10}, bounded) to compare with.
 *
 * <p>Thread-safe: the snapshot buffer is guarded by the detector.
 */
public final class ThreadLeakDetector extends AbstractRule {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadLeakDetector.class);
    private static final int MAX_SNAPSHOTS = 12;
    private static final int TOP = 5;

    private final String metric;
    /** Share of the window the samples must span before a trend is judged. */
    static final double MIN_COVERAGE = 0.4;
    private final Duration window;
    private final double minR2;
    private final double minPerMinute;
    private final double minGrowth;
    private final Supplier<Map<String, Integer>> prefixCounts;
    private final ArrayDeque<long[]> snapshotTimes = new ArrayDeque<>();
    private final ArrayDeque<Map<String, Integer>> snapshots = new ArrayDeque<>();

    private ThreadLeakDetector(Builder b) {
        super(b);
        this.metric = b.metric;
        this.window = b.window;
        this.minR2 = b.minR2;
        this.minPerMinute = b.minPerMinute;
        this.minGrowth = b.minGrowth;
        this.prefixCounts = b.prefixCounts;
    }

    /**
     * Starts a builder (default name {@code thread-leak}, level HIGH).
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder("thread-leak");
    }

    /**
     * Starts a builder.
     *
     * @param name the rule name
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Counts the live threads of this JVM by name prefix (digit runs replaced by {@code #}).
     *
     * @return prefix to count
     */
    public static Map<String, Integer> liveThreadPrefixes() {
        Map<String, Integer> out = new HashMap<>();
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false, 0)) {
            out.merge(ThreadDiagnostics.namePrefix(t.getThreadName()), 1, Integer::sum);
        }
        return out;
    }


    @Override
    public List<Finding> evaluate(RuleContext context) {
        long now = context.nowMillis();
        Map<String, Integer> current = snapshot(now);
        List<Finding> out = new ArrayList<>();
        for (TimeSeries s : context.window(metric, Tags.empty(), window)) {
            List<DataPoint> points = Series.points(s, Series.Pick.AVG);
            Stats.Fit fit = Stats.fit(points);
            // The fit must cover a good part of the window: over the first seconds of a process, the threads a
            // starting application creates look like a steep, steady rise.
            if (fit == null || points.size() < 3 || points.get(points.size() - 1).epochMillis()
                    - points.get(0).epochMillis() < window.toMillis() * MIN_COVERAGE) {
                continue;
            }
            double growth = points.get(points.size() - 1).value() - points.get(0).value();
            double perMinute = fit.slopePerSecond() * 60;
            boolean active = perMinute >= minPerMinute && fit.r2() >= minR2 && growth >= minGrowth;
            StringBuilder d = new StringBuilder("live threads ").append(growth >= 0 ? "+" : "")
                    .append(Series.fmt(growth)).append(" over ").append(Stats.duration(window.toSeconds()))
                    .append(" (").append(Series.fmt(perMinute)).append("/min, R² ").append(Series.fmt(fit.r2()))
                    .append(", now ").append(Series.fmt(points.get(points.size() - 1).value())).append(')');
            if (active && current != null) {
                d.append("; grew most: ").append(topGrowth(current));
            }
            out.add(new Finding(Series.subject(metric, s.tags()), Series.labels(s.tags()), active, perMinute,
                    d.toString(), Series.tail(points, 20)));
        }
        return out;
    }

    private synchronized Map<String, Integer> snapshot(long now) {
        long every = Math.max(1, window.toMillis() / 10);
        long[] lastTime = snapshotTimes.peekLast();
        if (lastTime == null || now - lastTime[0] >= every) {
            try {
                Map<String, Integer> snap = Map.copyOf(prefixCounts.get());
                snapshotTimes.addLast(new long[] {now});
                snapshots.addLast(snap);
            } catch (RuntimeException e) {
                // a failing supplier only loses the prefix breakdown
                LOG.debug("thread name supplier failed", e);
            }
            while (snapshots.size() > MAX_SNAPSHOTS
                    || (snapshotTimes.size() > 1 && now - snapshotTimes.peekFirst()[0] > window.toMillis())) {
                snapshots.pollFirst();
                snapshotTimes.pollFirst();
            }
        }
        return snapshots.peekLast();
    }

    private synchronized String topGrowth(Map<String, Integer> current) {
        Map<String, Integer> oldest = snapshots.peekFirst();
        Map<String, Integer> base = oldest == null ? Map.of() : oldest;
        List<Map.Entry<String, Integer>> grew = new ArrayList<>();
        for (Map.Entry<String, Integer> e : current.entrySet()) {
            int delta = e.getValue() - base.getOrDefault(e.getKey(), 0);
            if (delta > 0) {
                grew.add(Map.entry(e.getKey(), delta));
            }
        }
        grew.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(TOP, grew.size()); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(grew.get(i).getKey()).append(" +").append(grew.get(i).getValue());
        }
        return grew.isEmpty() ? "no prefix grew since the oldest snapshot" : sb.toString();
    }

    /**
     * Builder of {@link ThreadLeakDetector}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends AbstractRule.Builder<Builder, ThreadLeakDetector> {
        private String metric = MetricNames.JVM_THREADS_LIVE;
        private Duration window = Duration.ofMinutes(15);
        private double minR2 = 0.8;
        private double minPerMinute = 1;
        private double minGrowth = 20;
        private Supplier<Map<String, Integer>> prefixCounts = ThreadLeakDetector::liveThreadPrefixes;

        private Builder(String name) {
            super(name);
            level(AlertLevel.HIGH);
            suggestedActions("Take a thread dump (jcmd <pid> Thread.print) and find who starts the growing threads",
                    "Check executors that are created per request and never shut down");
        }

        /**
         * Sets the live-threads metric (default {@code perfkit.jvm.threads.live}).
         *
         * @param metric the metric
         * @return this builder
         */
        public Builder metric(String metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /**
         * Sets the window (default 15 min).
         *
         * @param window positive
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Sets the minimum R² (default 0.8).
         *
         * @param minR2 in [0, 1]
         * @return this builder
         */
        public Builder minR2(double minR2) {
            this.minR2 = minR2;
            return this;
        }

        /**
         * Sets the minimum growth rate (default 1 thread per minute).
         *
         * @param threadsPerMinute positive
         * @return this builder
         */
        public Builder minThreadsPerMinute(double threadsPerMinute) {
            this.minPerMinute = threadsPerMinute;
            return this;
        }

        /**
         * Sets the minimum absolute growth over the window (default 20 threads).
         *
         * @param threads positive
         * @return this builder
         */
        public Builder minGrowth(double threads) {
            this.minGrowth = threads;
            return this;
        }

        /**
         * Sets the supplier of thread counts by name prefix.
         *
         * @param prefixCounts the supplier
         * @return this builder
         */
        public Builder threadNameCounts(Supplier<Map<String, Integer>> prefixCounts) {
            this.prefixCounts = Objects.requireNonNull(prefixCounts, "prefixCounts");
            return this;
        }

        @Override
        public ThreadLeakDetector build() {
            if (window.isZero() || window.isNegative()) {
                throw invalid("window", "must be positive, was " + window);
            }
            if (!(minR2 >= 0 && minR2 <= 1)) {
                throw invalid("minR2", "must be in [0, 1], was " + minR2);
            }
            if (!(minPerMinute > 0)) {
                throw invalid("minThreadsPerMinute", "must be positive, was " + minPerMinute);
            }
            if (!(minGrowth > 0)) {
                throw invalid("minGrowth", "must be positive, was " + minGrowth);
            }
            return new ThreadLeakDetector(this);
        }
    }
}
