package io.github.perfkit.alerts.detect;

import io.github.perfkit.alerts.Aggregation;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.Comparison;
import io.github.perfkit.alerts.ThresholdRule;
import io.github.perfkit.core.metrics.MetricNames;
import java.time.Duration;

/**
 * Factories of ready rules for GC pressure and latency SLOs, built on {@link ThresholdRule}.
 *
 * <p>Thread-safe: stateless.
 */
public final class Detectors {

    private Detectors() {
    }

    /**
     * GC pressure: the average fraction of wall time spent in GC ({@code perfkit.jvm.gc.pressure})
     * over the window is above {@code fraction}.
     *
     * @param name the rule name
     * @param fraction the threshold, e.g. 0.1 for 10 %
     * @param window the window, e.g. 5 min
     * @return the rule (level HIGH)
     */
    public static ThresholdRule gcTimeFraction(String name, double fraction, Duration window) {
        return ThresholdRule.builder(name).metric(MetricNames.JVM_GC_PRESSURE).comparison(Comparison.GT)
                .threshold(fraction).aggregation(Aggregation.avg()).window(window).level(AlertLevel.HIGH)
                .suggestedActions("Check the allocation rate and the live set (heap after GC)",
                        "Consider a larger heap or fewer allocations on the hot paths")
                .build();
    }

    /**
     * GC pause p99: the 99th percentile of the per-second maxima of GC pauses
     * ({@code perfkit.jvm.gc.pause.max}, seconds, from the history's timer sampling) over the window is
     * above {@code seconds}. The history keeps a maximum per sample interval, not every pause, so this is
     * the p99 of those maxima (an upper bound of the true p99).
     *
     * @param name the rule name
     * @param seconds the threshold in seconds
     * @param window the window
     * @return the rule (level WARNING)
     */
    public static ThresholdRule gcPauseP99(String name, double seconds, Duration window) {
        return ThresholdRule.builder(name).metric(MetricNames.JVM_GC_PAUSE + ".max").comparison(Comparison.GT)
                .threshold(seconds).aggregation(Aggregation.percentile(99)).window(window).level(AlertLevel.WARNING)
                .suggestedActions("Look at GC logs/JFR GC events for the longest pauses and their causes")
                .build();
    }

    /**
     * Latency SLO: the 95th percentile over the window of a latency series (seconds) is above
     * {@code seconds}. Pass the series that holds latency per sample interval, e.g. a p95 gauge of the
     * HTTP server requests, or the timer's {@code .mean} / {@code .max} series in the history.
     *
     * @param name the rule name
     * @param latencyMetric the latency series name
     * @param seconds the threshold in seconds, e.g. 0.5
     * @param window the window
     * @param tagKeyValues tags the series must have
     * @return the rule (level HIGH, 2 min for-duration)
     */
    public static ThresholdRule latencyP95(String name, String latencyMetric, double seconds, Duration window,
                                           String... tagKeyValues) {
        return ThresholdRule.builder(name).metric(latencyMetric).tags(tagKeyValues).comparison(Comparison.GT)
                .threshold(seconds).aggregation(Aggregation.percentile(95)).window(window).level(AlertLevel.HIGH)
                .forDuration(Duration.ofMinutes(2))
                .suggestedActions("Open the slowest request profiles for the endpoint",
                        "Check database and downstream latency")
                .build();
    }
}
