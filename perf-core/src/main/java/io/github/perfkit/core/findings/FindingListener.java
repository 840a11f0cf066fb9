package io.github.perfkit.core.findings;

/**
 * Receives findings as they are raised and resolved — the SPI through which the alert engine turns
 * findings into alerts without a compile dependency. Called on the diagnosis thread: implementations
 * must be quick and must not throw (a listener that throws is logged once and skipped).
 */
public interface FindingListener {

    /**
     * A finding became active, or an active one has new evidence.
     *
     * @param finding the finding
     */
    void onFinding(Finding finding);

    /**
     * A finding's evidence went away.
     *
     * @param finding the resolved finding ({@link Finding#active()} is {@code false})
     */
    void onResolved(Finding finding);
}
