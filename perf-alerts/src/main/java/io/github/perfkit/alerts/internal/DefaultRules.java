package io.github.perfkit.alerts.internal;

import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.Aggregation;
import io.github.perfkit.alerts.Comparison;
import io.github.perfkit.alerts.Escalation;
import io.github.perfkit.alerts.ThresholdRule;
import io.github.perfkit.alerts.detect.CpuSpikeDetector;
import io.github.perfkit.alerts.detect.ErrorRateRule;
import io.github.perfkit.alerts.detect.MemoryLeakDetector;
import io.github.perfkit.alerts.detect.ThreadLeakDetector;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The shipped default rule set, built in code: the same rules as the documented resource
 * {@code /io/github/perfkit/alerts/default-rules.yaml} (a test keeps the two equal), without loading a YAML parser at
 * start-up (parsing the resource on a cold JVM costs 100–500 ms of CPU).
 *
 * <p>Thread-safe: stateless.
 */
public final class DefaultRules {

    private static final String CPU = "perfkit.system.cpu.usage";
    private static final String CPU_ACTION = "Check the busiest threads (thread dump, JFR CPU profile)";

    private DefaultRules() {}

    /**
     * Builds the default rules, in the resource's order.
     *
     * @return the rules
     */
    public static List<AlertRule> create() {
        return List.of(
                threshold("cpu-warning", CPU, null, Comparison.GT, 0.70, 0.65, Aggregation.avg(), 1, 2,
                        AlertLevel.WARNING, CPU_ACTION),
                threshold("cpu-critical", CPU, null, Comparison.GT, 0.90, 0.85, Aggregation.avg(), 1, 2,
                        AlertLevel.CRITICAL, CPU_ACTION, "Scale out or shed load"),
                threshold("memory-warning", "perfkit.system.memory.used", "perfkit.system.memory.total",
                        Comparison.GT, 0.80, 0.75, Aggregation.avg(), 1, 5, AlertLevel.WARNING),
                threshold("memory-critical", "perfkit.system.memory.used", "perfkit.system.memory.total",
                        Comparison.GT, 0.95, 0.90, Aggregation.avg(), 1, 2, AlertLevel.CRITICAL),
                threshold("heap-warning", "perfkit.jvm.memory.after.gc", "perfkit.jvm.heap.max", Comparison.GT,
                        0.80, 0.75, Aggregation.last(), 5, 5, AlertLevel.WARNING,
                        "Compare class histograms (jcmd <pid> GC.class_histogram)"),
                threshold("heap-critical", "perfkit.jvm.memory.after.gc", "perfkit.jvm.heap.max", Comparison.GT,
                        0.95, 0.90, Aggregation.last(), 5, 2, AlertLevel.CRITICAL,
                        "Take a heap dump (jcmd <pid> GC.heap_dump) before the JVM runs out of memory"),
                threshold("disk-full", "perfkit.system.disk.usable", "perfkit.system.disk.total", Comparison.LT,
                        0.10, 0.12, Aggregation.last(), 5, 5, AlertLevel.CRITICAL,
                        "Free space or grow the volume; check log rotation"),
                errorRate("http-error-rate", "http.server.requests.count", "outcome", "SERVER_ERROR"),
                ThresholdRule.builder("http-latency-p95").level(AlertLevel.HIGH).forDuration(minutes(2))
                        .metric("http.server.requests.mean").comparison(Comparison.GT).threshold(0.5)
                        .aggregation(Aggregation.percentile(95)).window(minutes(5)).build(),
                errorRate("perfkit-http-error-rate", "perfkit.http.server.requests.count", "status.class", "5xx"),
                ThresholdRule.builder("perfkit-http-latency-p95").level(AlertLevel.HIGH).forDuration(minutes(2))
                        .metric("perfkit.http.server.latency").tags("quantile", "0.95").comparison(Comparison.GT)
                        .threshold(0.5).aggregation(Aggregation.avg()).window(minutes(5)).build(),
                MemoryLeakDetector.builder("memory-leak").level(AlertLevel.HIGH).window(minutes(30)).build(),
                ThreadLeakDetector.builder("thread-leak").level(AlertLevel.HIGH).window(minutes(15)).build(),
                CpuSpikeDetector.builder("cpu-spike").level(AlertLevel.WARNING).window(minutes(10)).build());
    }

    private static AlertRule threshold(String name, String metric, @Nullable String ratioTo, Comparison comparison,
            double threshold, double resolveThreshold, Aggregation aggregation, int windowMinutes, int forMinutes,
            AlertLevel level, String... actions) {
        ThresholdRule.Builder b = ThresholdRule.builder(name).level(level).forDuration(minutes(forMinutes))
                .metric(metric).comparison(comparison).threshold(threshold).resolveThreshold(resolveThreshold)
                .aggregation(aggregation).window(minutes(windowMinutes)).ratioTo(ratioTo);
        if (actions.length > 0) {
            b.suggestedActions(actions);
        }
        return b.build();
    }

    private static AlertRule errorRate(String name, String metric, String errorTag, String errorValue) {
        return ErrorRateRule.builder(name).level(AlertLevel.HIGH).forDuration(minutes(2))
                .escalation(Escalation.after(3, AlertLevel.CRITICAL))
                .errors(metric, errorTag, errorValue).total(metric).maxRatio(0.05).minRequestsPerSecond(0.1)
                .window(minutes(5)).build();
    }

    private static Duration minutes(int minutes) {
        return Duration.ofMinutes(minutes);
    }
}
