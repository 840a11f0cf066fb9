package io.github.perfkit.cache.spi;

/**
 * A remote tier operation failed or timed out. Never reaches the cache's callers. Immutable;
 * thread-safe.
 */
public final class RemoteTierException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final boolean timeout;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param timeout whether the operation timed out
     * @param cause the underlying failure, or null
     */
    public RemoteTierException(String message, boolean timeout, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    /** @return whether the operation timed out */
    public boolean timeout() {
        return timeout;
    }
}
