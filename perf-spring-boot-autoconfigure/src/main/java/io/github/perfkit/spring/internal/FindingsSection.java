package io.github.perfkit.spring.internal;

import io.github.perfkit.core.findings.ContinuousDiagnosis;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.spi.StatusContributor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The hub's diagnosed findings as the status section {@code findings} (served by the endpoints as JSON under
 * {@code /api/sections?name=findings} and shown on the dashboard): the number of active findings and the most recent
 * ones (at most {@value #MAX_LISTED}, active first), each with its category, culprit, subject, recommendation,
 * evidence and times. Thread-safe: the diagnosis is thread-safe and nothing is cached here.
 */
public final class FindingsSection implements StatusContributor {

    /** The section's name. */
    public static final String NAME = "findings";
    /** Findings listed at most. */
    public static final int MAX_LISTED = 50;

    private final ContinuousDiagnosis diagnosis;

    /**
     * A section over a diagnosis.
     *
     * @param diagnosis the hub's diagnosis
     */
    public FindingsSection(ContinuousDiagnosis diagnosis) {
        this.diagnosis = Objects.requireNonNull(diagnosis, "diagnosis");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> status() {
        List<Finding> active = diagnosis.active();
        List<Finding> listed = new ArrayList<>(active);
        for (Finding f : diagnosis.all()) {
            if (listed.size() >= MAX_LISTED) {
                break;
            }
            if (!f.active()) {
                listed.add(f);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Finding f : listed.subList(0, Math.min(listed.size(), MAX_LISTED))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("category", f.category().name().toLowerCase(Locale.ROOT));
            m.put("culprit", f.culprit());
            m.put("subject", f.subject());
            m.put("active", f.active());
            m.put("recommendation", f.recommendation());
            m.put("evidence", f.evidence());
            m.put("firstSeen", f.firstSeen().toString());
            m.put("lastSeen", f.lastSeen().toString());
            out.add(m);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("active", active.size());
        status.put("windowsJudged", diagnosis.windowsJudged());
        status.put("learning", diagnosis.learning());
        status.put("findings", out);
        return status;
    }
}
