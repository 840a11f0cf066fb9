/**
 * Findings: problems Perfkit diagnosed, each naming its culprit method with the evidence that
 * supports it ({@link io.github.perfkit.core.findings.Finding}); the continuous diagnosis that
 * produces them from a live JFR event stream ({@link io.github.perfkit.core.findings.ContinuousDiagnosis});
 * and the listener SPI through which other modules (alerts, the dashboard) receive them.
 */
@NullMarked
package io.github.perfkit.core.findings;

import org.jspecify.annotations.NullMarked;
