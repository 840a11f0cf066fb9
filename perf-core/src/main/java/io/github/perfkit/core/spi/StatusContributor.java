package io.github.perfkit.core.spi;

import java.util.Map;
import java.util.Set;

/**
 * Contributes one named section to the hub's detailed status (the {@code /status} endpoint and the
 * dashboard). The multilevel cache, for example, contributes its hit ratios per level, and the alert
 * engine its firing alerts.
 *
 * <p>{@link #status()} is called on a monitoring thread, possibly concurrently; implementations
 * must be thread-safe, cheap (no I/O: serve cached values) and must not throw — a contributor that
 * throws is shown as an error entry for its section and never breaks the rest of the status.
 *
 * <pre>{@code
 * perf.register(new StatusContributor() {
 *     public String name() { return "orders"; }
 *     public Map<String, Object> status() { return Map.of("queued", queue.size()); }
 * });
 * }</pre>
 */
public interface StatusContributor {

    /**
     * The section name: lowercase letters, digits, dots, dashes and underscores, unique per hub.
     *
     * @return the section name
     */
    String name();

    /**
     * The section's current state as JSON-friendly values: strings, numbers, booleans, nulls, and
     * lists and maps (with string keys) of those.
     *
     * @return the section's state
     */
    Map<String, Object> status();

    /**
     * The state-changing actions this section offers (for example the alert engine's
     * {@code silence} and {@code acknowledge}); empty by default. The servlet endpoints expose them
     * as {@code POST <base>/api/sections/<name>/<action>} behind their access policy and CSRF
     * protection, and the dashboard offers them as buttons.
     *
     * @return the action names (lowercase letters, digits and dashes), never {@code null}
     */
    default Set<String> actions() {
        return Set.of();
    }

    /**
     * Performs one of {@link #actions()}. Called on a request thread; must be thread-safe and
     * quick. Unlike {@link #status()}, it reports bad input by throwing, so that the caller can
     * answer with a clear message.
     *
     * @param action one of {@link #actions()}
     * @param params the action's parameters (already length-limited by the caller)
     * @return a JSON-friendly result describing what was done
     * @throws UnsupportedOperationException if this section has no such action
     * @throws IllegalArgumentException if a parameter is missing or malformed; the message names it
     */
    default Map<String, Object> act(String action, Map<String, String> params) {
        throw new UnsupportedOperationException("section '" + name() + "' has no action '" + action + "'");
    }
}
