package io.github.perfkit.core.findings;

import io.github.perfkit.core.internal.findings.DefaultContinuousDiagnosis;
import io.micrometer.core.instrument.Clock;
import java.util.List;

/**
 * Watches the running application through a live JFR event stream (CPU samples every 20 ms,
 * allocation samples, contended locks above 20 ms) and the JVM's deadlock detector, and raises
 * {@link Finding findings} that name the culprit method — the first frame outside
 * {@link DiagnosisConfig#frameworkPackages()}. Analysis runs per {@link DiagnosisConfig#window()} on
 * the stream's own thread; the overhead is JFR's at these settings (about 1 %).
 *
 * <p>Other detectors (the JDBC wrapper's N+1 and slow-statement detection, leak detectors) feed
 * their findings in through {@link #report(Finding)}, so listeners and the dashboard see one list.
 *
 * <pre>{@code
 * ContinuousDiagnosis diagnosis = ContinuousDiagnosis.create(DiagnosisConfig.ofDefaults(), Clock.SYSTEM);
 * diagnosis.addListener(listener);
 * diagnosis.start();
 * diagnosis.active().forEach(f -> log.warn("{}: {}", f.culprit(), f.recommendation()));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface ContinuousDiagnosis extends AutoCloseable {

    /**
     * A diagnosis, not yet started.
     *
     * @param config thresholds, windows and framework packages
     * @param clock time stamps of findings
     * @return the diagnosis
     */
    static ContinuousDiagnosis create(DiagnosisConfig config, Clock clock) {
        return new DefaultContinuousDiagnosis(config, clock);
    }

    /**
     * Starts the event stream. Idempotent.
     *
     * @throws IllegalStateException if closed
     */
    void start();

    /**
     * The active findings, most recent first.
     *
     * @return a snapshot
     */
    List<Finding> active();

    /**
     * Active and resolved findings, most recent first, at most {@link DiagnosisConfig#maxFindings()}.
     *
     * @return a snapshot
     */
    List<Finding> all();

    /**
     * Adds a finding found elsewhere (or refreshes it, by {@link Finding#id()}), and tells the listeners.
     *
     * @param finding the finding
     */
    void report(Finding finding);

    /**
     * Windows judged since {@link #start()}. The first {@link DiagnosisConfig#learningWindows()} windows are the
     * baseline: what happens in them is learned as normal and raises no finding (so a problem already present then
     * is not reported until it grows past its baseline).
     *
     * @return windows judged so far; 0 before the first window ends
     */
    default long windowsJudged() {
        return 0;
    }

    /**
     * Whether the diagnosis is still learning its baseline: not started, or fewer than
     * {@link DiagnosisConfig#learningWindows()} windows judged. Findings can be raised once this is false.
     *
     * @return true while learning
     */
    default boolean learning() {
        return true;
    }

    /**
     * Registers a listener.
     *
     * @param listener the listener
     */
    void addListener(FindingListener listener);

    /**
     * Removes a listener.
     *
     * @param listener the listener
     */
    void removeListener(FindingListener listener);

    /** Stops the event stream. Idempotent. */
    @Override
    void close();
}
