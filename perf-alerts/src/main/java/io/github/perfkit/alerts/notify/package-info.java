/** Built-in {@link io.github.perfkit.alerts.Notifier}s: SLF4J log, HTTP webhook (JSON or Slack format) and SMTP email with STARTTLS. */
@NullMarked
package io.github.perfkit.alerts.notify;

import org.jspecify.annotations.NullMarked;
