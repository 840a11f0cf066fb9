package io.github.perfkit.core;

import io.micrometer.core.instrument.Tag;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Measures named operations with try-with-resources scopes and keeps their latency statistics.
 *
 * <pre>{@code
 * PerformanceTracker tracker = perf.tracker();
 * try (var scope = tracker.start("checkout")) {
 *     checkout(cart);
 * }
 * OperationStats stats = tracker.stats("checkout").orElseThrow();
 * }</pre>
 *
 * <p>Each operation is also published as a Micrometer timer in the hub's registry. Names must be
 * non-blank; the number of distinct operations is capped (see
 * {@link TrackerConfig#maxOperations()}), beyond which new names are recorded into one overflow
 * operation and a warning is logged once.
 *
 * <p>Thread-safe.
 */
public interface PerformanceTracker {

    /**
     * Starts a scope of the operation {@code name} (no tags) on the current thread.
     *
     * @param name operation name, not blank
     * @return the running scope, or {@link Scope#noop()} while tracking is disabled
     * @throws IllegalArgumentException if {@code name} is blank
     */
    Scope start(String name);

    /**
     * Starts a scope of the operation {@code name} with tags given as key/value pairs. Resolves the
     * operation on each call; prefer {@link #operation(String, String...)} on hot paths.
     *
     * @param name operation name, not blank
     * @param tags key/value pairs, even in number
     * @return the running scope, or {@link Scope#noop()} while tracking is disabled
     * @throws IllegalArgumentException if {@code name} is blank or {@code tags} has odd length
     */
    Scope start(String name, String... tags);

    /**
     * Resolves (creating on first use) the operation {@code name} with tags as key/value pairs.
     *
     * @param name operation name, not blank
     * @param tags key/value pairs, even in number
     * @return the operation handle, to keep and reuse
     * @throws IllegalArgumentException if {@code name} is blank or {@code tags} has odd length
     */
    Operation operation(String name, String... tags);

    /**
     * Resolves (creating on first use) the operation {@code name} with {@code tags}.
     *
     * @param name operation name, not blank
     * @param tags the tags
     * @return the operation handle, to keep and reuse
     * @throws IllegalArgumentException if {@code name} is blank
     */
    Operation operation(String name, Iterable<Tag> tags);

    /**
     * Runs {@code action} inside a scope of the operation {@code name}.
     *
     * @param name operation name, not blank
     * @param action the work to measure
     */
    default void record(String name, Runnable action) {
        try (Scope ignored = start(name)) {
            action.run();
        }
    }

    /**
     * Runs {@code action} inside a scope of the operation {@code name} and returns its result.
     *
     * @param name operation name, not blank
     * @param action the work to measure
     * @param <T> the result type
     * @return what {@code action} returned
     */
    default <T> T record(String name, Supplier<T> action) {
        try (Scope ignored = start(name)) {
            return action.get();
        }
    }

    /**
     * Statistics of one operation, if it has been resolved.
     *
     * @param name operation name
     * @param tags key/value pairs
     * @return its statistics, or empty if no such operation exists
     */
    Optional<OperationStats> stats(String name, String... tags);

    /**
     * Statistics of every operation.
     *
     * @return one entry per operation, in no particular order
     */
    List<OperationStats> stats();

    /**
     * Whether scopes currently record anything.
     *
     * @return {@code true} when enabled
     */
    boolean isEnabled();

    /**
     * Switches tracking on or off at run time. While disabled, {@code start} returns
     * {@link Scope#noop()}.
     *
     * @param enabled the new state
     */
    void setEnabled(boolean enabled);
}
