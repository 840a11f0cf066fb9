package io.github.perfkit.servlet;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A request currently being served, as seen by {@link PerfFilter#inFlight()}.
 *
 * @param requestId the request's id ({@code X-Request-ID})
 * @param method the HTTP method
 * @param path the request path (no query string), at most 256 characters
 * @param uriTemplate the URI template, once known ({@code ""} while the request runs without one)
 * @param start when the filter saw the request
 * @param age how long it has been running
 * @param thread the name of the thread serving it (the dispatch thread for async requests)
 */
public record InFlightRequest(String requestId, String method, String path, String uriTemplate, Instant start,
        Duration age, String thread) {

    /** Checks that no component is null. */
    public InFlightRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(uriTemplate, "uriTemplate");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(age, "age");
        Objects.requireNonNull(thread, "thread");
    }
}
