package io.github.perfkit.cache.codec;

/**
 * Turns values into bytes for the remote level and back. Implementations must be thread-safe and
 * must never instantiate a type the application did not allow: a payload they cannot or may not
 * decode raises {@link CodecException}, which the cache counts and treats as a miss.
 *
 * @param <V> the value type
 */
public interface Codec<V> {

    /**
     * Encodes a value.
     *
     * @param value the value
     * @return its bytes
     * @throws CodecException if the value cannot be encoded (e.g. its type is not allowed)
     */
    byte[] encode(V value);

    /**
     * Decodes bytes written by {@link #encode} (or planted by anyone with access to L2).
     *
     * @param bytes the bytes
     * @return the value
     * @throws CodecException if the bytes are malformed or name a type that is not allowed
     */
    V decode(byte[] bytes);
}
