/** Built-in {@link io.github.perfkit.alerts.Notifier}s: SLF4J log and HTTP webhook (JSON or Slack format). */
@NullMarked
package io.github.perfkit.alerts.notify;

import org.jspecify.annotations.NullMarked;
