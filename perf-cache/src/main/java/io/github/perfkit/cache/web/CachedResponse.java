package io.github.perfkit.cache.web;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored HTTP response. Immutable (the body array is not copied on access: do not modify it);
 * thread-safe.
 *
 * @param status the status code
 * @param headers response headers to replay (lowercase names)
 * @param body the body
 * @param etag the entity tag, quoted (e.g. {@code "\"abc\""})
 * @param expiresAtEpochMillis when the response stops being fresh
 */
public record CachedResponse(int status, Map<String, List<String>> headers, byte[] body, String etag,
                             long expiresAtEpochMillis) {

    /**
     * Copies the headers and checks the fields.
     *
     * @param status the status code
     * @param headers response headers to replay
     * @param body the body
     * @param etag the entity tag
     * @param expiresAtEpochMillis when the response stops being fresh
     */
    public CachedResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(etag, "etag");
        headers = Map.copyOf(headers);
    }
}
