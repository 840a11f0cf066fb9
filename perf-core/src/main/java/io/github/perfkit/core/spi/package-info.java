/**
 * Service-provider interfaces through which other Perfkit modules (cache, alerts, …) and
 * applications plug their state into the hub, so the endpoints and the dashboard can show it
 * without depending on those modules.
 */
@NullMarked
package io.github.perfkit.core.spi;

import org.jspecify.annotations.NullMarked;
