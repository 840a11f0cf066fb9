package io.github.perfkit.core.spi;

import java.util.Map;

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
}
