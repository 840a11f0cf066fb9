package io.github.perfkit.spring.internal;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.findings.ContinuousDiagnosis;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.findings.FindingListener;
import java.util.List;
import java.util.Objects;

/**
 * A view of the hub's {@link Perf#diagnosis()} that asks the hub at each call, so handing it to a status section or
 * an alert rule at start-up does not create the diagnosis there (its set-up costs tens of milliseconds; the
 * {@link DiagnosisStarter} creates and starts it in the background once the application is ready). Thread-safe: the
 * hub's diagnosis is.
 */
public final class LazyDiagnosis implements ContinuousDiagnosis {

    private final Perf perf;

    /**
     * A view of one hub's diagnosis.
     *
     * @param perf the hub
     */
    public LazyDiagnosis(Perf perf) {
        this.perf = Objects.requireNonNull(perf, "perf");
    }

    @Override
    public void start() {
        perf.diagnosis().start();
    }

    @Override
    public List<Finding> active() {
        return perf.diagnosis().active();
    }

    @Override
    public List<Finding> all() {
        return perf.diagnosis().all();
    }

    @Override
    public void report(Finding finding) {
        perf.diagnosis().report(finding);
    }

    @Override
    public long windowsJudged() {
        return perf.diagnosis().windowsJudged();
    }

    @Override
    public boolean learning() {
        return perf.diagnosis().learning();
    }

    @Override
    public void addListener(FindingListener listener) {
        perf.diagnosis().addListener(listener);
    }

    @Override
    public void removeListener(FindingListener listener) {
        perf.diagnosis().removeListener(listener);
    }

    /** Does nothing: the hub closes its diagnosis when it is closed. */
    @Override
    public void close() {
        // the hub owns the diagnosis
    }
}
