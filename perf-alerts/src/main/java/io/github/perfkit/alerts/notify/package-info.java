/** Built-in {@link io.github.perfkit.alerts.Notifier}s: SLF4J log, HTTP webhook (JSON or Slack format) and SMTP email with STARTTLS, and Prometheus Alertmanager (API v2). */
@NullMarked
package io.github.perfkit.alerts.notify;

import org.jspecify.annotations.NullMarked;
