/**
 * Alert engine: threshold, rate, trend and anomaly rules over the metrics history, lifecycle, escalation, silences and notifiers.
 */
@NullMarked
package io.github.perfkit.alerts;

import org.jspecify.annotations.NullMarked;
