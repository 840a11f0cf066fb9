package io.github.perfkit.alerts.detect;

import io.github.perfkit.alerts.AbstractRule;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.Finding;
import io.github.perfkit.alerts.RuleContext;
import io.github.perfkit.core.findings.ContinuousDiagnosis;
import io.github.perfkit.core.findings.FindingCategory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the hub's diagnosed findings ({@link ContinuousDiagnosis}: CPU hotspots, allocation pressure,
 * lock contention, thread and memory leaks, deadlocks, N+1 statements…) into alerts: one alert per
 * active finding, deduplicated by category and culprit, described by the finding's recommendation,
 * resolved when the finding resolves. The alert engine's for-durations, silences, escalation and
 * notifiers apply as to any rule.
 *
 * <pre>{@code
 * AlertEngine engine = AlertEngine.builder().perf(perf)
 *         .rule(FindingsRule.builder(perf.diagnosis()).build())
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe: immutable; the diagnosis it reads is thread-safe.
 */
public final class FindingsRule extends AbstractRule {

    private final ContinuousDiagnosis diagnosis;
    private final Set<FindingCategory> categories;

    private FindingsRule(Builder b) {
        super(b);
        this.diagnosis = b.diagnosis;
        this.categories = EnumSet.copyOf(b.categories);
    }

    /**
     * Starts a builder (name {@code diagnosis-findings}, level HIGH, every category).
     *
     * @param diagnosis where the findings come from, usually {@code perf.diagnosis()}
     * @return a builder
     */
    public static Builder builder(ContinuousDiagnosis diagnosis) {
        return new Builder("diagnosis-findings", diagnosis);
    }

    @Override
    public List<Finding> evaluate(RuleContext context) {
        List<Finding> out = new ArrayList<>();
        for (io.github.perfkit.core.findings.Finding f : diagnosis.active()) {
            if (!categories.contains(f.category())) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("category", f.category().name().toLowerCase(Locale.ROOT));
            labels.put("culprit", f.culprit());
            if (f.subject() != null) {
                labels.put("subject", f.subject());
            }
            String subject = f.category().name().toLowerCase(Locale.ROOT) + ":" + f.culprit()
                    + (f.subject() == null ? "" : "{" + f.subject() + "}");
            out.add(new Finding(subject, labels, true, Double.NaN, f.recommendation(), List.of()));
        }
        return out;
    }

    /** Builder of {@link FindingsRule}; not thread-safe. */
    public static final class Builder extends AbstractRule.Builder<Builder, FindingsRule> {
        private final ContinuousDiagnosis diagnosis;
        private Set<FindingCategory> categories = EnumSet.allOf(FindingCategory.class);

        private Builder(String name, ContinuousDiagnosis diagnosis) {
            super(name);
            this.diagnosis = Objects.requireNonNull(diagnosis, "diagnosis");
            level(AlertLevel.HIGH);
            suggestedActions("Read the finding's evidence and sample stack on the dashboard",
                    "Capture a profile (JFR) of the culprit method to confirm");
        }

        /**
         * Limits the rule to some categories (default: all).
         *
         * @param first a category
         * @param more further categories
         * @return this builder
         */
        public Builder categories(FindingCategory first, FindingCategory... more) {
            this.categories = EnumSet.of(Objects.requireNonNull(first, "categories"), more);
            return this;
        }

        @Override
        public FindingsRule build() {
            return new FindingsRule(this);
        }
    }
}
