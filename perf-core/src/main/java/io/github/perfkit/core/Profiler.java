package io.github.perfkit.core;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Builds per-request profile trees. A request scope opened with {@link #request(String)} becomes
 * the root of a tree; tracker scopes opened inside it on the same thread become its nodes. Finished
 * trees of slow requests (at least {@link TrackerConfig#slowRequestThreshold()}) and of a random
 * sample of the others are kept in a bounded store: the slowest N and the most recent N.
 *
 * <pre>{@code
 * try (var request = profiler.request("GET /orders/{id}")) {
 *     try (var q = tracker.start("db.query")) { ... }
 * }
 * List<ProfileTree> slowest = profiler.slowest();
 * }</pre>
 *
 * <p>Opening a request on a thread whose previous request scope was never closed abandons that
 * previous tree, so a leaked scope cannot grow a tree across requests. Thread-safe.
 */
public interface Profiler {

    /**
     * Opens a request scope (the root of a profile tree) on the current thread. The request's
     * duration is also recorded as an operation named {@code name}.
     *
     * @param name request name, e.g. a method and URI template; not blank
     * @return the request's scope, or {@link Scope#noop()} while tracking is disabled
     */
    Scope request(String name);

    /**
     * The slowest kept trees, slowest first.
     *
     * @return at most {@link TrackerConfig#slowestTrees()} trees
     */
    List<ProfileTree> slowest();

    /**
     * The most recently kept trees, newest first.
     *
     * @return at most {@link TrackerConfig#recentTrees()} trees
     */
    List<ProfileTree> recent();

    /**
     * Finds a kept tree by id.
     *
     * @param id the tree's id
     * @return the tree, or empty if it is not (or no longer) kept
     */
    Optional<ProfileTree> find(String id);

    /**
     * The fraction of requests that are not slow whose trees are kept anyway. Below 1, at most ten such trees a
     * second are kept (slow requests always keep theirs).
     *
     * @return a rate in [0, 1]
     */
    double samplingRate();

    /**
     * Changes the sampling rate at run time.
     *
     * @param rate a rate in [0, 1]
     * @throws IllegalArgumentException if {@code rate} is outside [0, 1]
     */
    void setSamplingRate(double rate);

    /**
     * Counts one database query against the innermost open scope of the request open on the current
     * thread (it shows as {@link ProfileNode#queryCount()}), and says which request that is. Meant for
     * instrumentation such as Perfkit's JDBC wrapper; allocates at most once per request.
     *
     * @return the current thread's request, or {@code null} when no request is open on this thread or
     *     tracking is disabled (nothing is counted then)
     */
    default @Nullable RequestRef countQuery() {
        return null;
    }
}
