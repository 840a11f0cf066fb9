package io.github.perfkit.servlet;

/**
 * Names of the meters perf-servlet registers. They follow Micrometer conventions (lowercase
 * dotted, base units) under the {@code perfkit.http.server} prefix, so they never clash with a
 * host's own {@code http.server.requests} from Spring Boot or Micrometer's servlet binders.
 * In Prometheus, {@code perfkit.http.server.requests} becomes
 * {@code perfkit_http_server_requests_seconds_count/_sum/_max}.
 *
 * <p>Constants only; thread-safe.
 */
public final class MetricNames {

    /** Timer of requests; tags {@code method}, {@code uri}, {@code status}, {@code status.class}, {@code exception}. */
    public static final String HTTP_SERVER_REQUESTS = "perfkit.http.server.requests";
    /** Gauge of requests in flight (all requests seen by the filter, excluded ones aside). */
    public static final String HTTP_SERVER_REQUESTS_ACTIVE = "perfkit.http.server.requests.active";
    /** Distribution of request body sizes in bytes, from {@code Content-Length}; tags {@code method}, {@code uri}. */
    public static final String HTTP_SERVER_REQUEST_SIZE = "perfkit.http.server.request.size";
    /** Distribution of response body sizes in bytes, as written; tags {@code method}, {@code uri}. */
    public static final String HTTP_SERVER_RESPONSE_SIZE = "perfkit.http.server.response.size";
    /** Timer of the thread CPU time a request used on its dispatch thread; tags {@code method}, {@code uri}. */
    public static final String HTTP_SERVER_REQUEST_CPU = "perfkit.http.server.request.cpu";
    /** Distribution of the bytes a request allocated on its dispatch thread; tags {@code method}, {@code uri}. */
    public static final String HTTP_SERVER_REQUEST_ALLOCATED = "perfkit.http.server.request.allocated";
    /** Counter of URIs folded into the {@code OTHER} template because the template cap was reached. */
    public static final String HTTP_SERVER_URI_OVERFLOW = "perfkit.http.server.uri.overflow";
    /** Counter of failures inside the filter's own monitoring code (never thrown into the request). */
    public static final String HTTP_SERVER_MONITORING_FAILURES = "perfkit.http.server.monitoring.failures";

    /**
     * Gauge of HTTP request latency percentiles in seconds, tag {@code quantile} ({@code 0.5},
     * {@code 0.95}, {@code 0.99}): the request-count-weighted mean of each endpoint's percentile over
     * the tracker's current window (percentiles of different endpoints cannot be merged exactly, so
     * this is an estimate; the per-endpoint values are exact). Registered by the endpoints servlet,
     * so the history (and the dashboard) keeps them; NaN while no request was seen in the window.
     */
    public static final String HTTP_SERVER_LATENCY = "perfkit.http.server.latency";

    /** Gauge of open WebSocket sessions; tag {@code channel}. */
    public static final String WEBSOCKET_CONNECTIONS_ACTIVE = "perfkit.websocket.connections.active";
    /** Gauge of the most WebSocket sessions open at once; tag {@code channel}. */
    public static final String WEBSOCKET_CONNECTIONS_PEAK = "perfkit.websocket.connections.peak";
    /** Counter of WebSocket sessions opened; tag {@code channel}. */
    public static final String WEBSOCKET_CONNECTIONS = "perfkit.websocket.connections";
    /** Counter of WebSocket messages; tags {@code channel}, {@code direction} ({@code in}/{@code out}). */
    public static final String WEBSOCKET_MESSAGES = "perfkit.websocket.messages";
    /** Counter of WebSocket payload bytes; tags {@code channel}, {@code direction}. */
    public static final String WEBSOCKET_BYTES = "perfkit.websocket.bytes";
    /** Counter of failed WebSocket sends; tag {@code channel}. */
    public static final String WEBSOCKET_SEND_ERRORS = "perfkit.websocket.send.errors";
    /** Counter of WebSocket session errors ({@code Endpoint.onError}); tag {@code channel}. */
    public static final String WEBSOCKET_ERRORS = "perfkit.websocket.errors";
    /** Timer of WebSocket session durations, recorded at close; tag {@code channel}. */
    public static final String WEBSOCKET_SESSION_DURATION = "perfkit.websocket.session.duration";

    private MetricNames() {}
}
