package io.github.perfkit.cache.codec;

/**
 * A value could not be encoded or decoded. The cache counts it ({@code perfkit.cache.codec.errors})
 * and treats the entry as a miss. Immutable; thread-safe.
 */
public final class CodecException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     */
    public CodecException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
