package io.github.perfkit.core;

import io.micrometer.core.instrument.Tags;
import java.util.function.Supplier;

/**
 * A pre-resolved tracked operation: a name plus a fixed set of tags. Resolving once and keeping the
 * handle makes {@link #start()} a lookup-free, allocation-free call:
 *
 * <pre>{@code
 * private final Operation query = tracker.operation("db.query", "table", "orders");
 * ...
 * try (var scope = query.start()) {
 *     return jdbc.query(...);
 * }
 * }</pre>
 *
 * <p>Thread-safe: one handle is meant to be shared by all threads.
 */
public interface Operation {

    /**
     * The operation's name, also the name of its Micrometer timer.
     *
     * @return the name
     */
    String name();

    /**
     * The operation's tags.
     *
     * @return the tags, possibly empty
     */
    Tags tags();

    /**
     * Starts a scope of this operation on the current thread.
     *
     * @return the running scope, or {@link Scope#noop()} while tracking is disabled
     */
    Scope start();

    /**
     * Records a duration measured elsewhere.
     *
     * @param nanos duration in nanoseconds; negative values are ignored
     */
    void recordNanos(long nanos);

    /**
     * Runs {@code action} inside a scope of this operation.
     *
     * @param action the work to measure
     */
    default void record(Runnable action) {
        try (Scope ignored = start()) {
            action.run();
        }
    }

    /**
     * Runs {@code action} inside a scope of this operation and returns its result.
     *
     * @param action the work to measure
     * @param <T> the result type
     * @return what {@code action} returned
     */
    default <T> T record(Supplier<T> action) {
        try (Scope ignored = start()) {
            return action.get();
        }
    }

    /**
     * The operation's statistics at this moment.
     *
     * @return a snapshot of its latency statistics
     */
    OperationStats stats();
}
