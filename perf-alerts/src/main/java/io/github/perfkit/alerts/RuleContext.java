package io.github.perfkit.alerts;

import io.github.perfkit.core.history.MetricsHistory;
import io.github.perfkit.core.history.TimeSeries;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.List;

/**
 * What a rule sees during one evaluation: the time, the history and the engine's view of its alerts.
 *
 * <p>Thread-safety: valid only during the {@link AlertRule#evaluate(RuleContext)} call it is passed to.
 */
public interface RuleContext {

    /** @return the evaluation time, epoch milliseconds */
    long nowMillis();

    /** @return the metrics history */
    MetricsHistory history();

    /**
     * The series of a metric whose tags include {@code tags}, over the last {@code window}, at the
     * history's sample interval.
     *
     * @param metric the metric name
     * @param tags the tags the series must have
     * @param window how far back to look
     * @return the matching series (possibly with no points)
     */
    List<TimeSeries> window(String metric, Iterable<Tag> tags, Duration window);

    /**
     * Whether the engine holds a pending or firing alert for a rule and subject; rules use it for
     * hysteresis.
     *
     * @param ruleName the rule name
     * @param subject the subject
     * @return whether an alert is active
     */
    boolean isActive(String ruleName, String subject);

    /**
     * The context a rule passes to the rules nested in it (a {@link CompositeRule}'s children, which the
     * engine does not track as alerts of their own): in it, {@link #isActive} answers whether a nested
     * rule's finding for a subject was active in the parent's previous evaluation, as reported through
     * {@link #markActive}, so nested thresholds keep their hysteresis. The default keeps no memory (nested
     * rules then see no active alerts).
     *
     * @param parent the name of the rule evaluating nested rules
     * @return the context for its nested rules
     */
    default RuleContext nested(String parent) {
        return this;
    }

    /**
     * Reports that a nested rule's finding is active in this evaluation (see {@link #nested}); ignored by
     * contexts that keep no memory.
     *
     * @param ruleName the nested rule's name
     * @param subject the finding's subject
     */
    default void markActive(String ruleName, String subject) {
        // no memory by default
    }
}
