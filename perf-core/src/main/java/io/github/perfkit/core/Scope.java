package io.github.perfkit.core;

/**
 * A running measurement, closed with try-with-resources:
 *
 * <pre>{@code
 * try (var scope = tracker.start("checkout")) {
 *     checkout(cart);
 * }
 * }</pre>
 *
 * <p>Closing records one latency sample for the scope's operation. Scopes opened while another scope
 * is open on the same thread become its children in the request's profile tree. {@link #close()}
 * never throws; closing twice is harmless (the second close is ignored). A scope may be closed on
 * another thread than the one that opened it: its sample is still recorded.
 *
 * <p>Scope objects are recycled per thread so that the hot path allocates nothing: do not keep using
 * a scope after closing it. A scope is meant to be used by one thread at a time; it is not
 * thread-safe except for the cross-thread {@code close()} described above.
 */
public interface Scope extends AutoCloseable {

    /**
     * Adds a tag to this scope's node in the current profile tree (no effect on the operation's
     * metrics, whose tags are fixed when the operation is resolved). Ignored outside a profiled request.
     *
     * @param key tag key, not null
     * @param value tag value, not null
     * @return this scope
     */
    Scope tag(String key, String value);

    /**
     * Adds a numeric tag to this scope's node in the current profile tree, like {@link #tag(String, String)} but
     * without formatting the number on the hot path: it is kept as a number and formatted only if the tree is
     * kept (slow or sampled request).
     *
     * @param key tag key, not null
     * @param value tag value
     * @return this scope
     */
    default Scope tag(String key, long value) {
        return tag(key, Long.toString(value));
    }

    /**
     * Nanoseconds elapsed since this scope started, or 0 for a no-op scope.
     *
     * @return elapsed time in nanoseconds
     */
    long elapsedNanos();

    /** Ends the measurement and records it. Never throws; a second call is ignored. */
    @Override
    void close();

    /**
     * The shared scope that records nothing, returned while tracking is disabled.
     *
     * @return the no-op scope
     */
    static Scope noop() {
        return NoopScope.INSTANCE;
    }
}

/** The do-nothing scope; a stateless singleton. */
final class NoopScope implements Scope {
    static final NoopScope INSTANCE = new NoopScope();

    private NoopScope() {}

    @Override
    public Scope tag(String key, String value) {
        return this;
    }

    @Override
    public Scope tag(String key, long value) {
        return this;
    }

    @Override
    public long elapsedNanos() {
        return 0;
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "Scope.noop()";
    }
}
