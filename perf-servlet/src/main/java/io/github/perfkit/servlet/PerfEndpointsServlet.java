package io.github.perfkit.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.perfkit.core.LatencySnapshot;
import io.github.perfkit.core.OperationStats;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.ProfileNode;
import io.github.perfkit.core.ProfileTree;
import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.health.HealthReport;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.core.health.HealthStatus;
import io.github.perfkit.core.history.HistoryQuery;
import io.github.perfkit.core.history.TimeSeries;
import io.github.perfkit.core.spi.StatusContributor;
import io.github.perfkit.servlet.internal.Access;
import io.github.perfkit.servlet.internal.ActionBody;
import io.github.perfkit.servlet.internal.Assets;
import io.github.perfkit.servlet.internal.BadRequest;
import io.github.perfkit.servlet.internal.Csrf;
import io.github.perfkit.servlet.internal.DiagnosticsEndpoints;
import io.github.perfkit.servlet.internal.Params;
import io.github.perfkit.servlet.internal.Paths;
import io.github.perfkit.servlet.internal.PlainPaths;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring endpoints, mapped under a base path (default {@code /perf/*}):
 * <ul>
 * <li>{@code /} (and {@code /index.html}): the live dashboard page, its script and style and the uPlot
 * charting library, all served from the jar (no network access), under a CSP that allows the page's own
 * scripts and styles only (no inline script);</li>
 * <li>{@code /health} liveness and {@code /ready} readiness (503 when DOWN), {@code /status}
 * (version, uptime, health components, system and JVM summary, {@link Perf#statusSections()}),
 * {@code /ping};</li>
 * <li>{@code /metrics}: Prometheus text exposition (format 0.0.4) of the hub's registry;</li>
 * <li>JSON APIs: {@code /api/snapshot}, {@code /api/history} (optionally merged per value of one
 * tag, {@code groupBy=<tag>&agg=sum|avg|max}, so a chart of hundreds of series transfers a few lines), {@code /api/operations},
 * {@code /api/slow-requests}, {@code /api/profile}, {@code /api/in-flight}, {@code /api/threads};</li>
 * <li>{@code /api/sections}: the sections of {@link Perf#statusSections()} (cache, alerts and other
 * modules contribute through perf-core's SPI), all or {@code name=} one;</li>
 * <li>profiling and diagnosis (JFR recordings, analysis, collapsed stacks, upload, baseline comparison,
 * findings, thread dumps, deadlocks, heap histograms, JDBC statements) and their page
 * {@code /profiling.html}: see {@code perf-servlet/PROFILING.md}; its {@code POST}s pass the same CSRF
 * check as the section actions;</li>
 * <li>{@code POST /api/sections/<name>/<action>}: runs one of a section's
 * {@link io.github.perfkit.core.spi.StatusContributor#actions() actions} (for example the alert engine's
 * silence and acknowledge) with the parameters of a form-encoded or flat JSON body (at most 8 KiB,
 * 32 parameters, values of at most 1024 characters); see "State-changing calls" below;</li>
 * <li>{@code /api/csrf}: the token that state-changing calls from a browser send back;</li>
 * <li>{@code /api/stream}: server-sent events ({@code event: summary}) every {@code interval}, at
 * most {@link #MAX_STREAMS} at once (then 429), each ending after 30 minutes or {@code events}
 * events; needs async support on the servlet (and filter).</li>
 * </ul>
 * Only GET and HEAD are served (others get 405), except the section actions, which are POST only;
 * unknown paths 404; every parameter is validated
 * (400 with a JSON error naming it). JSON is always {@code application/json} with
 * {@code X-Content-Type-Options: nosniff}. Routing uses the canonical path, so {@code /perf;x/},
 * {@code //perf}, percent-encoded and case variants reach the same endpoint (when the container lets them
 * through: Jetty 12 answers the ambiguous ones, such as {@code //} or {@code %2F}, with 400 unless its URI
 * compliance allows them, see the module's README).
 *
 * <p>Prometheus: {@code /metrics} needs a {@link PrometheusMeterRegistry}. When the hub's
 * registry is one, it is used; when it is a {@link CompositeMeterRegistry}, a Prometheus
 * registry inside it is used, or one is created and added to it; otherwise {@code /metrics}
 * answers 404 with an explanation. Build the hub with a Prometheus (or composite) registry.
 *
 * <p>State-changing calls (section actions) pass the same access policy as every endpoint and
 * then a cross-site request forgery check. A request with the configured bearer token in
 * {@code Authorization} skips it: browsers never attach that header on their own, and a cross-site
 * page cannot add it without a CORS preflight, which these endpoints never grant, so such a
 * request is a deliberate call from a script or tool. Every other request (the dashboard, or a
 * loopback tool without the token) must send the endpoints' random token (read from
 * {@code GET api/csrf}, one per servlet instance) in the {@code X-Perfkit-CSRF} header, and, when
 * the browser says where the request comes from, come from the same origin: {@code Sec-Fetch-Site}
 * must then be {@code same-origin} and {@code Origin} must name the scheme and {@code Host} the
 * request was sent to (behind a TLS-terminating proxy, let the container know the forwarded scheme). A cross-site page can neither read the token (no CORS) nor forge these headers. Failures
 * get 403; an unknown section 404; an action the section does not offer, or a parameter it rejects
 * ({@link IllegalArgumentException}), 400 with the message; GET and other methods 405; a body over
 * 8 KiB 413.
 *
 * <p>Thread-safe: one instance serves all requests.
 */
public class PerfEndpointsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PerfEndpointsServlet.class);
    private static final String JSON = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final int MAX_HISTORY_POINTS = 10_000;

    private final transient Perf perf;
    private final transient PerfEndpointsConfig config;
    private final transient @Nullable PerfFilter filter;
    private final transient Access access;
    private final transient Assets assets = new Assets();
    private final transient Csrf csrf = new Csrf();
    private final transient @Nullable PrometheusMeterRegistry prometheus;
    /** Whether the "no Prometheus registry" notice was logged (once, on the first {@code /metrics} asked for). */
    private final transient AtomicBoolean noPrometheusLogged = new AtomicBoolean();
    private final long startMillis = System.currentTimeMillis();
    private final transient DiagnosticsEndpoints diagnostics;

    /**
     * Endpoints without the filter's in-flight registry.
     *
     * @param perf the hub
     * @param config the configuration
     */
    public PerfEndpointsServlet(Perf perf, PerfEndpointsConfig config) {
        this(perf, config, null);
    }

    /**
     * Endpoints that also show the filter's requests in flight.
     *
     * @param perf the hub
     * @param config the configuration
     * @param filter the filter whose in-flight registry {@code /api/in-flight} shows, or null
     */
    public PerfEndpointsServlet(Perf perf, PerfEndpointsConfig config, @Nullable PerfFilter filter) {
        this.perf = Objects.requireNonNull(perf, "perf");
        this.config = Objects.requireNonNull(config, "config");
        this.filter = filter;
        this.access = new Access(config.bearerToken(), config.trustedProxies());
        this.prometheus = findPrometheus(perf.registry());
        this.diagnostics = new DiagnosticsEndpoints(perf, PerfEndpointsServlet::jsonBytes,
                r -> access.tokenMatches(r.getHeader("Authorization")), csrf);
        bindLatencyGauges(perf.registry());
    }

    // ------------------------------------------------------------------ HTTP latency percentiles

    private static final java.util.regex.Pattern HTTP_OPERATION = java.util.regex.Pattern.compile("[A-Z]{3,10} (/.*|OTHER)");
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private final transient Object latencyLock = new Object();
    private transient long latencyAt = Long.MIN_VALUE;
    private transient double[] latency = {Double.NaN, Double.NaN, Double.NaN};

    private void bindLatencyGauges(MeterRegistry registry) {
        try {
            for (int i = 0; i < QUANTILES.length; i++) {
                int q = i;
                Gauge.builder(MetricNames.HTTP_SERVER_LATENCY, this, s -> s.latency(q))
                        .tag("quantile", Double.toString(QUANTILES[i])).baseUnit("seconds")
                        .description("HTTP request latency percentile (count-weighted over endpoints)")
                        .register(registry);
            }
        } catch (RuntimeException e) {
            LOG.warn("Perfkit: registering the HTTP latency gauges failed", e);
        }
    }

    /** One percentile (index into {@link #QUANTILES}); the three are computed together at most once a second. */
    private double latency(int index) {
        long now = perf.clock().monotonicTime();
        synchronized (latencyLock) {
            if (latencyAt == Long.MIN_VALUE || now - latencyAt >= 1_000_000_000L) {
                latencyAt = now;
                double[] sums = new double[QUANTILES.length];
                long count = 0;
                for (OperationStats s : perf.tracker().stats()) {
                    LatencySnapshot w = s.window();
                    if (w.count() <= 0 || !HTTP_OPERATION.matcher(s.name()).matches()) {
                        continue;
                    }
                    count += w.count();
                    sums[0] += w.count() * (double) w.p50Nanos();
                    sums[1] += w.count() * (double) w.p95Nanos();
                    sums[2] += w.count() * (double) w.p99Nanos();
                }
                double[] next = new double[QUANTILES.length];
                for (int i = 0; i < next.length; i++) {
                    next[i] = count == 0 ? Double.NaN : sums[i] / count / 1e9;
                }
                latency = next;
            }
            return latency[index];
        }
    }

    /**
     * The Prometheus registry {@code /metrics} renders.
     *
     * @return the registry, or empty when the hub's registry has none
     */
    public Optional<PrometheusMeterRegistry> prometheusRegistry() {
        return Optional.ofNullable(prometheus);
    }

    /**
     * Whether a request's canonical path is under this servlet's base path.
     *
     * @param req the request
     * @return true when the endpoints would answer it
     */
    public boolean handles(HttpServletRequest req) {
        Objects.requireNonNull(req, "req");
        try {
            // Plain paths (the filter asks for every request): the same answer without building canonical forms.
            String uri = req.getRequestURI();
            String context = req.getContextPath();
            if (uri != null && PlainPaths.isPlain(uri)) {
                if (context == null || context.isEmpty()) {
                    return PlainPaths.below(uri, 0, config.basePath());
                }
                if (PlainPaths.isPlain(context) && context.charAt(context.length() - 1) != '/') {
                    return PlainPaths.below(uri, 0, context.toLowerCase(java.util.Locale.ROOT))
                            && uri.length() > context.length() && PlainPaths.below(uri, context.length(), config.basePath());
                }
            }
            String ctx = Paths.canonical(req.getContextPath() == null ? "" : req.getContextPath());
            String rest = Paths.below(Paths.canonical(req.getRequestURI() == null ? "/" : req.getRequestURI()), ctx);
            return rest != null && Paths.below(rest, config.basePath()) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Serves one request (GET and HEAD; other methods get 405). Public so that
     * {@link PerfFilter#serveEndpoints(PerfEndpointsServlet)} can route to it.
     *
     * @param req the request
     * @param res the response
     * @throws IOException when writing the response fails
     */
    @Override
    public void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Cache-Control", "no-store");
        // The endpoints serve data, never pages: nothing may load, run or frame them.
        res.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        res.setHeader("X-Frame-Options", "DENY");
        res.setHeader("Referrer-Policy", "no-referrer");
        String method = req.getMethod();
        boolean head = "HEAD".equals(method);
        byte[] body = null;
        String path = route(req);
        // The profiling and diagnostics endpoints stream their own bodies (recording uploads).
        boolean ownBody = DiagnosticsEndpoints.serves(path);
        if (!"GET".equals(method) && !head && !ownBody) {
            // Read (at most 8 KiB of) the body before answering, so that an early answer (403, 404,
            // 405) leaves nothing unread on a keep-alive connection; a larger body closes it.
            body = readBody(req);
            if (body.length > ActionBody.MAX_BYTES) {
                res.setHeader("Connection", "close");
            }
        }
        try {
            if (!allowed(req)) {
                if (ownBody && !"GET".equals(method) && !head) {
                    res.setHeader("Connection", "close"); // its body stays unread
                }
                if (config.publicProbes() && ("GET".equals(method) || head) && probe(path, res, head)) {
                    return;
                }
                if (access.hasToken()) {
                    res.setHeader("WWW-Authenticate", "Bearer");
                    error(res, head, 401, "unauthorized", null, "a bearer token is required");
                } else {
                    error(res, head, 403, "forbidden", null, "monitoring endpoints serve loopback clients only");
                }
                return;
            }
            Assets.Asset asset = Assets.find(path);
            if (asset != null) {
                asset(req, res, head, path, asset);
                return;
            }
            if (DiagnosticsEndpoints.serves(path)) {
                diagnostics.service(path, req, res);
                return;
            }
            if (path.startsWith(ACTIONS_PREFIX)) {
                sectionAction(req, res, head, path.substring(ACTIONS_PREFIX.length()), body);
                return;
            }
            Endpoint endpoint = endpoint(path);
            if (endpoint == null) {
                error(res, head, 404, "not_found", null, "no such endpoint");
                return;
            }
            if (!"GET".equals(method) && !head) {
                res.setHeader("Allow", "GET, HEAD");
                error(res, head, 405, "method_not_allowed", null, "use GET or HEAD");
                return;
            }
            serve(endpoint, req, res, head);
        } catch (BadRequest e) {
            error(res, head, 400, "bad_request", e.parameter(), e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Perfkit: monitoring endpoint {} failed", req.getRequestURI(), e);
            if (!res.isCommitted()) {
                res.resetBuffer();
                error(res, head, 500, "internal_error", null, "the endpoint failed; see the server log");
            }
        }
    }

    private enum Endpoint {
        HEALTH, READY, STATUS, PING, METRICS, SNAPSHOT, HISTORY, OPERATIONS, SLOW, PROFILE, IN_FLIGHT, THREADS, STREAM, SECTIONS, CSRF
    }

    private static @Nullable Endpoint endpoint(String path) {
        return switch (path) {
            case "/health" -> Endpoint.HEALTH;
            case "/ready" -> Endpoint.READY;
            case "/status" -> Endpoint.STATUS;
            case "/ping" -> Endpoint.PING;
            case "/metrics" -> Endpoint.METRICS;
            case "/api/snapshot" -> Endpoint.SNAPSHOT;
            case "/api/history" -> Endpoint.HISTORY;
            case "/api/operations" -> Endpoint.OPERATIONS;
            case "/api/slow-requests" -> Endpoint.SLOW;
            case "/api/profile" -> Endpoint.PROFILE;
            case "/api/in-flight" -> Endpoint.IN_FLIGHT;
            case "/api/threads" -> Endpoint.THREADS;
            case "/api/stream" -> Endpoint.STREAM;
            case "/api/sections" -> Endpoint.SECTIONS;
            case "/api/csrf" -> Endpoint.CSRF;
            default -> null;
        };
    }

    private void serve(Endpoint e, HttpServletRequest req, HttpServletResponse res, boolean head) throws IOException {
        Map<String, String[]> q;
        try {
            q = req.getParameterMap();
        } catch (RuntimeException bad) {
            // Containers throw on malformed escapes or invalid UTF-8 in the query string.
            throw new BadRequest("query", "malformed query string (bad percent-encoding or UTF-8)");
        }
        switch (e) {
            case HEALTH -> {
                new Params(q, Set.of());
                health(res, head, perf.health().check(HealthGroup.LIVENESS));
            }
            case READY -> {
                new Params(q, Set.of());
                health(res, head, perf.health().check(HealthGroup.READINESS));
            }
            case STATUS -> {
                new Params(q, Set.of());
                json(res, head, 200, status());
            }
            case PING -> {
                new Params(q, Set.of());
                write(res, head, 200, "text/plain; charset=utf-8", "pong\n".getBytes(StandardCharsets.UTF_8));
            }
            case METRICS -> {
                new Params(q, Set.of());
                PrometheusMeterRegistry p = prometheus;
                if (p == null) {
                    if (noPrometheusLogged.compareAndSet(false, true)) {
                        LOG.info("Perfkit: /metrics answers 404: the hub's registry ({}) is not a Prometheus or "
                                + "composite registry", perf.registry().getClass().getSimpleName());
                    }
                    error(res, head, 404, "not_found", null, "no Prometheus registry: build the Perf hub with a "
                            + "PrometheusMeterRegistry or a CompositeMeterRegistry");
                    return;
                }
                write(res, head, 200, PROMETHEUS_TEXT, p.scrape().getBytes(StandardCharsets.UTF_8));
            }
            case SNAPSHOT -> json(res, head, 200, snapshot(new Params(q, Set.of("prefix", "limit"))));
            case HISTORY -> json(res, head, 200, history(new Params(q, Set.of("metric", "tags", "from", "to", "range",
                    "step", "groupBy", "agg"))));
            case OPERATIONS -> json(res, head, 200, operations(new Params(q, Set.of("sort", "limit", "period"))));
            case SLOW -> json(res, head, 200, slow(new Params(q, Set.of("kind", "limit"))));
            case PROFILE -> {
                Params p = new Params(q, Set.of("id"));
                String id = Objects.requireNonNull(p.name("id", true));
                Optional<ProfileTree> tree = perf.profiler().find(id);
                if (tree.isEmpty()) {
                    error(res, head, 404, "not_found", "id", "no kept profile tree has this id");
                } else {
                    json(res, head, 200, tree(tree.get()));
                }
            }
            case IN_FLIGHT -> json(res, head, 200, inFlight(new Params(q, Set.of("stack"))));
            case THREADS -> json(res, head, 200, threads(new Params(q, Set.of("state", "limit", "depth"))));
            case STREAM -> stream(req, res, head, new Params(q, Set.of("interval", "events")));
            case SECTIONS -> {
                String name = new Params(q, Set.of("name")).name("name", false);
                Map<String, Object> sections = new LinkedHashMap<>();
                perf.statusSections().forEach((k, v) -> {
                    if (name == null || name.equals(k)) {
                        sections.put(k, jsonSafe(v));
                    }
                });
                if (name != null && sections.isEmpty()) {
                    error(res, head, 404, "not_found", "name", "no status section has this name");
                } else {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("sections", sections);
                    body.put("actions", sectionActions(name));
                    json(res, head, 200, body);
                }
            }
            case CSRF -> {
                new Params(q, Set.of());
                json(res, head, 200, Map.of("header", Csrf.HEADER, "token", csrf.token()));
            }
            default -> error(res, head, 404, "not_found", null, "no such endpoint");
        }
    }

    // ------------------------------------------------------------------ section actions

    private static final String ACTIONS_PREFIX = "/api/sections/";
    private static final java.util.regex.Pattern ACTION_NAME = java.util.regex.Pattern.compile("[a-z0-9-]{1,64}");
    private static final int MAX_MESSAGE = 300;

    private Map<String, List<String>> sectionActions(@Nullable String only) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (StatusContributor c : perf.contributors()) {
            if (only != null && !only.equals(c.name())) {
                continue;
            }
            try {
                Set<String> actions = c.actions();
                if (actions != null && !actions.isEmpty()) {
                    out.put(c.name(), actions.stream().sorted().toList());
                }
            } catch (RuntimeException e) {
                LOG.debug("Perfkit: listing the actions of section '{}' failed", c.name(), e);
            }
        }
        return out;
    }

    private static byte[] readBody(HttpServletRequest req) {
        try {
            return req.getInputStream().readNBytes(ActionBody.MAX_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    private void sectionAction(HttpServletRequest req, HttpServletResponse res, boolean head, String rest,
            byte @Nullable [] body) throws IOException {
        if (!"POST".equals(req.getMethod())) {
            res.setHeader("Allow", "POST");
            error(res, head, 405, "method_not_allowed", null, "section actions are POST only");
            return;
        }
        if (!access.tokenMatches(req.getHeader("Authorization"))) {
            String refusal = csrf.refusal(req.getHeader(Csrf.HEADER), req.getHeader("Origin"),
                    req.getHeader("Sec-Fetch-Site"), req.getHeader("Host"),
                    req.getScheme() == null ? "http" : req.getScheme());
            if (refusal != null) {
                error(res, false, 403, "csrf", null, refusal);
                return;
            }
        }
        String[] parts = rest.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            error(res, false, 404, "not_found", null, "use POST api/sections/<section>/<action>");
            return;
        }
        StatusContributor section = null;
        for (StatusContributor c : perf.contributors()) {
            if (c.name().equals(parts[0])) {
                section = c;
            }
        }
        if (section == null) {
            error(res, false, 404, "not_found", "section", "no status section has this name");
            return;
        }
        String action = parts[1];
        Set<String> offered;
        try {
            offered = section.actions();
        } catch (RuntimeException e) {
            LOG.warn("Perfkit: listing the actions of section '{}' failed", section.name(), e);
            offered = Set.of();
        }
        if (!ACTION_NAME.matcher(action).matches() || offered == null || !offered.contains(action)) {
            error(res, false, 400, "bad_request", "action", "section '" + section.name() + "' has no such action; "
                    + "offered: " + (offered == null ? List.of() : offered.stream().sorted().toList()));
            return;
        }
        if (req.getQueryString() != null && !req.getQueryString().isEmpty()) {
            throw new BadRequest("query", "send the action's parameters in the body, not the query string");
        }
        Map<String, String> params;
        try {
            params = ActionBody.read(new java.io.ByteArrayInputStream(body == null ? new byte[0] : body),
                    req.getContentLengthLong(), req.getContentType(), PerfEndpointsServlet::jsonObject);
        } catch (ActionBody.TooLarge e) {
            error(res, false, 413, "payload_too_large", "body", e.getMessage());
            return;
        }
        Map<String, Object> result;
        try {
            result = section.act(action, params);
        } catch (UnsupportedOperationException e) {
            error(res, false, 400, "bad_request", "action", cut(e.getMessage()));
            return;
        } catch (IllegalArgumentException e) {
            error(res, false, 400, "bad_request", null, cut(e.getMessage()));
            return;
        }
        LOG.info("Perfkit: section action {}/{} by {}", section.name(), action, req.getRemoteAddr());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("section", section.name());
        answer.put("action", action);
        answer.put("result", result == null ? Map.of() : jsonSafe(result));
        json(res, false, 200, answer);
    }

    private static @Nullable Map<?, ?> jsonObject(String text) {
        try {
            Object v = Json.MAPPER.readValue(text, Object.class);
            return v instanceof Map<?, ?> m ? m : null;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON", e);
        }
    }

    private static String cut(@Nullable String message) {
        String m = message == null ? "" : message;
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
    }

    /** The page's policy: its own scripts, styles and API calls only; no inline script, no framing. */
    static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private void asset(HttpServletRequest req, HttpServletResponse res, boolean head, String path, Assets.Asset asset)
            throws IOException {
        if (!"GET".equals(req.getMethod()) && !head) {
            res.setHeader("Allow", "GET, HEAD");
            error(res, head, 405, "method_not_allowed", null, "use GET or HEAD");
            return;
        }
        String uri = req.getRequestURI();
        if (path.equals("/") && (uri == null || !uri.endsWith("/"))) {
            // The page loads its files by relative URLs: they resolve only below "<base>/".
            String ctx = Paths.canonical(req.getContextPath() == null ? "" : req.getContextPath());
            String base = config.basePath().equals("/") ? "" : config.basePath();
            res.setHeader("Location", (ctx.equals("/") ? "" : ctx) + base + "/");
            error(res, head, 302, "found", null, "the dashboard is at the base path with a trailing slash");
            return;
        }
        byte[] bytes = assets.bytes(asset);
        if (bytes == null) {
            error(res, head, 404, "not_found", null, "the dashboard resource is missing from the class path");
            return;
        }
        if (asset.page()) {
            res.setHeader("Content-Security-Policy", PAGE_CSP);
        } else {
            res.setHeader("Cache-Control", "no-cache");
        }
        write(res, head, 200, asset.contentType(), bytes);
    }

    // ------------------------------------------------------------------ access and routing

    /**
     * Answers an orchestrator's probe from a client the policy refuses: the status alone, no components.
     *
     * @return whether {@code path} was a probe
     */
    private boolean probe(String path, HttpServletResponse res, boolean head) throws IOException {
        if (path.equals("/ping")) {
            write(res, head, 200, "text/plain; charset=utf-8", "pong\n".getBytes(StandardCharsets.UTF_8));
            return true;
        }
        HealthGroup group = path.equals("/health") ? HealthGroup.LIVENESS
                : path.equals("/ready") ? HealthGroup.READINESS : null;
        if (group == null) {
            return false;
        }
        HealthStatus status = perf.health().check(group).status();
        json(res, head, status == HealthStatus.DOWN ? 503 : 200, Map.of("status", status.name()));
        return true;
    }

    private boolean allowed(HttpServletRequest req) {
        String remote = req.getRemoteAddr();
        String client = access.clientAddress(remote == null ? "" : remote, req.getHeader("X-Forwarded-For"));
        if (Access.isLoopback(client)) {
            return true;
        }
        if (access.tokenMatches(req.getHeader("Authorization"))) {
            return true;
        }
        var authorizer = config.authorizer();
        if (authorizer != null) {
            try {
                return authorizer.test(req);
            } catch (RuntimeException e) {
                LOG.debug("Perfkit: the endpoints authorizer failed; access denied", e);
                return false;
            }
        }
        return false;
    }

    private String route(HttpServletRequest req) {
        String uri = req.getRequestURI();
        String ctx = Paths.canonical(req.getContextPath() == null ? "" : req.getContextPath());
        String canonical = Paths.canonical(uri == null ? "/" : uri);
        String rest = Paths.below(canonical, ctx);
        if (rest != null) {
            String below = Paths.below(rest, config.basePath());
            if (below != null) {
                return below;
            }
        }
        String info;
        try {
            info = req.getPathInfo();
        } catch (IllegalArgumentException e) {
            // Jetty ee10 refuses getPathInfo() for an ambiguous URI unless decodeAmbiguousURIs is set.
            return canonical;
        }
        return Paths.canonical(info == null ? "/" : info);
    }

    // ------------------------------------------------------------------ endpoints

    private void health(HttpServletResponse res, boolean head, HealthReport report) throws IOException {
        json(res, head, report.status() == HealthStatus.DOWN ? 503 : 200, health(report));
    }

    private static Map<String, Object> health(HealthReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", report.status().name());
        out.put("timestamp", report.timestamp().toString());
        out.put("durationMillis", report.duration().toNanos() / 1e6);
        Map<String, Object> components = new LinkedHashMap<>();
        for (Map.Entry<String, HealthResult> e : report.components().entrySet()) {
            HealthResult r = e.getValue();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("status", r.status().name());
            c.put("message", r.message());
            Map<String, Object> details = new LinkedHashMap<>();
            r.details().forEach((k, v) -> details.put(k, v instanceof Number || v instanceof Boolean ? v : String.valueOf(v)));
            c.put("details", details);
            c.put("responseTimeMillis", r.responseTime().toNanos() / 1e6);
            components.put(e.getKey(), c);
        }
        out.put("components", components);
        return out;
    }

    private Map<String, Object> status() {
        RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", config.version());
        out.put("startTime", Instant.ofEpochMilli(rt.getStartTime()).toString());
        out.put("uptimeMillis", rt.getUptime());
        out.put("endpointsUptimeMillis", System.currentTimeMillis() - startMillis);
        out.put("health", health(perf.health().checkAll()));
        MeterRegistry r = perf.registry();
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("cpuUsage", gauge(r, io.github.perfkit.core.metrics.MetricNames.SYSTEM_CPU_USAGE));
        system.put("cpuCount", Runtime.getRuntime().availableProcessors());
        system.put("load1m", gauge(r, io.github.perfkit.core.metrics.MetricNames.SYSTEM_LOAD_1M));
        system.put("memoryTotalBytes", gauge(r, io.github.perfkit.core.metrics.MetricNames.SYSTEM_MEMORY_TOTAL));
        system.put("memoryUsedBytes", gauge(r, io.github.perfkit.core.metrics.MetricNames.SYSTEM_MEMORY_USED));
        out.put("system", system);
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("javaVersion", System.getProperty("java.version"));
        jvm.put("vmName", rt.getVmName());
        jvm.put("vmVendor", rt.getVmVendor());
        jvm.put("heapUsedBytes", gauge(r, io.github.perfkit.core.metrics.MetricNames.JVM_HEAP_USED));
        jvm.put("heapMaxBytes", gauge(r, io.github.perfkit.core.metrics.MetricNames.JVM_HEAP_MAX));
        jvm.put("threadsLive", gauge(r, io.github.perfkit.core.metrics.MetricNames.JVM_THREADS_LIVE));
        jvm.put("cpuUsage", gauge(r, io.github.perfkit.core.metrics.MetricNames.JVM_CPU_USAGE));
        out.put("jvm", jvm);
        Map<String, Object> http = new LinkedHashMap<>();
        PerfFilter f = filter;
        if (f != null) {
            http.put("inFlight", f.inFlight().size());
            http.put("uriTemplates", f.uriTemplateCount());
            http.put("monitoringFailures", f.monitoringFailures());
        }
        out.put("http", http);
        Map<String, Object> sections = new LinkedHashMap<>();
        perf.statusSections().forEach((k, v) -> sections.put(k, jsonSafe(v)));
        out.put("sections", sections);
        return out;
    }

    private static @Nullable Double gauge(MeterRegistry r, String name) {
        Gauge g = r.find(name).gauge();
        if (g == null) {
            return null;
        }
        double v = g.value();
        return Double.isFinite(v) ? v : null;
    }

    private Map<String, Object> snapshot(Params p) {
        String prefix = p.name("prefix", false);
        int limit = p.integer("limit", 1000, 1, 5000);
        List<Meter> meters = new ArrayList<>();
        for (Meter m : perf.registry().getMeters()) {
            if (prefix == null || m.getId().getName().startsWith(prefix)) {
                meters.add(m);
            }
        }
        meters.sort(Comparator.comparing((Meter m) -> m.getId().getName())
                .thenComparing(m -> m.getId().getTags().toString()));
        List<Object> list = new ArrayList<>();
        for (Meter m : meters.subList(0, Math.min(limit, meters.size()))) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", m.getId().getName());
            e.put("type", m.getId().getType().name().toLowerCase(java.util.Locale.ROOT));
            e.put("tags", tags(m.getId().getTags()));
            String unit = m.getId().getBaseUnit();
            if (unit != null) {
                e.put("baseUnit", unit);
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Measurement ms : m.measure()) {
                values.put(ms.getStatistic().getTagValueRepresentation(), finite(ms.getValue()));
            }
            e.put("values", values);
            list.add(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timestamp", Instant.ofEpochMilli(perf.clock().wallTime()).toString());
        out.put("total", meters.size());
        out.put("meters", list);
        return out;
    }

    private Map<String, Object> history(Params p) {
        String metric = Objects.requireNonNull(p.name("metric", true));
        Tags tags = p.tags("tags");
        Duration range = p.duration("range");
        Instant from = p.instant("from");
        Instant to = p.instant("to");
        if (range != null && from != null) {
            throw new BadRequest("range", "give either range or from, not both");
        }
        Instant end = to != null ? to : Instant.ofEpochMilli(perf.clock().wallTime());
        Instant start;
        if (from != null) {
            start = from;
        } else {
            Duration r = range != null ? range : Duration.ofMinutes(5);
            start = end.minus(r).isBefore(Instant.EPOCH) ? Instant.EPOCH : end.minus(r);
        }
        if (start.isAfter(end)) {
            throw new BadRequest("from", "must not be after to");
        }
        Duration span = Duration.between(start, end);
        if (span.compareTo(Params.MAX_DURATION) > 0) {
            throw new BadRequest(from != null ? "from" : "range", "the queried span must be at most "
                    + Params.MAX_DURATION.toDays() + " days");
        }
        Duration step = p.duration("step");
        if (step == null) {
            long ms = Math.max(1000, span.toMillis() / 300);
            step = Duration.ofMillis(ms);
        }
        if (step.compareTo(Duration.ofDays(365)) > 0) {
            throw new BadRequest("step", "must be at most 365 days");
        }
        if (step.toMillis() < 1) {
            throw new BadRequest("step", "must be at least 1ms");
        }
        if (span.toMillis() / step.toMillis() > MAX_HISTORY_POINTS) {
            throw new BadRequest("step", "too small for the range: at most " + MAX_HISTORY_POINTS + " points");
        }
        String groupBy = p.name("groupBy", false);
        String agg = p.string("agg") == null ? null : p.choice("agg", "sum", List.of("sum", "avg", "max"));
        if (groupBy != null && agg == null) {
            agg = "sum";
        }
        List<TimeSeries> series = perf.history().query(new HistoryQuery(metric, tags, start, end, step));
        List<Object> list = new ArrayList<>(series.size());
        if (agg != null) {
            list.addAll(grouped(metric, series, groupBy, agg));
        } else {
            for (TimeSeries s : series) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", s.name());
                e.put("tags", tags(s.tags()));
                List<Object> points = new ArrayList<>(s.points().size());
                for (TimeSeries.Point pt : s.points()) {
                    points.add(List.of(pt.epochMillis(), finiteOrZero(pt.min()), finiteOrZero(pt.max()),
                            finiteOrZero(pt.avg())));
                }
                e.put("points", points);
                list.add(e);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", metric);
        out.put("from", start.toEpochMilli());
        out.put("to", end.toEpochMilli());
        out.put("stepMillis", step.toMillis());
        out.put("pointFormat", List.of("epochMillis", "min", "max", "avg"));
        out.put("series", list);
        return out;
    }

    /**
     * Series merged per value of one tag (or all into one without {@code groupBy}), so that a chart of
     * hundreds of series transfers a few lines: per timestamp, min of mins and max of maxes, and avg
     * is the sum, the mean or the max (of maxes) of the series' values, as {@code agg} says.
     */
    private static List<Object> grouped(String metric, List<TimeSeries> series, @Nullable String groupBy, String agg) {
        Map<String, java.util.TreeMap<Long, double[]>> groups = new java.util.TreeMap<>();
        for (TimeSeries s : series) {
            String key = "";
            if (groupBy != null) {
                String v = null;
                for (Tag t : s.tags()) {
                    if (t.getKey().equals(groupBy)) {
                        v = t.getValue();
                    }
                }
                key = v == null ? "" : v;
            }
            java.util.TreeMap<Long, double[]> g = groups.computeIfAbsent(key, k -> new java.util.TreeMap<>());
            for (TimeSeries.Point pt : s.points()) {
                // {min, max, sum of avg, count}
                double[] b = g.computeIfAbsent(pt.epochMillis(), t -> new double[] {Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, 0, 0});
                b[0] = Math.min(b[0], finiteOrZero(pt.min()));
                b[1] = Math.max(b[1], finiteOrZero(pt.max()));
                b[2] += finiteOrZero(pt.avg());
                b[3] += 1;
            }
        }
        List<Object> out = new ArrayList<>(groups.size());
        for (Map.Entry<String, java.util.TreeMap<Long, double[]>> e : groups.entrySet()) {
            List<Object> points = new ArrayList<>(e.getValue().size());
            for (Map.Entry<Long, double[]> pt : e.getValue().entrySet()) {
                double[] b = pt.getValue();
                double value = switch (agg) {
                    case "avg" -> b[2] / b[3];
                    case "max" -> b[1];
                    default -> b[2];
                };
                points.add(List.of(pt.getKey(), finiteOrZero(b[0]), finiteOrZero(b[1]), finiteOrZero(value)));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", metric);
            m.put("tags", groupBy == null ? Map.of() : Map.of(groupBy, e.getKey()));
            m.put("points", points);
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> operations(Params p) {
        String sort = p.choice("sort", "count", List.of("name", "count", "rate", "mean", "p95", "p99", "max"));
        int limit = p.integer("limit", 100, 1, 1000);
        boolean total = p.choice("period", "window", List.of("window", "total")).equals("total");
        List<OperationStats> stats = new ArrayList<>(perf.tracker().stats());
        ToDoubleFunction<LatencySnapshot> key = switch (sort) {
            case "rate" -> LatencySnapshot::ratePerSecond;
            case "mean" -> LatencySnapshot::meanNanos;
            case "p95" -> s -> s.p95Nanos();
            case "p99" -> s -> s.p99Nanos();
            case "max" -> s -> s.maxNanos();
            default -> s -> s.count();
        };
        if (sort.equals("name")) {
            stats.sort(Comparator.comparing(OperationStats::name));
        } else {
            stats.sort(Comparator.comparingDouble((OperationStats s) -> key.applyAsDouble(total ? s.total() : s.window()))
                    .reversed());
        }
        List<Object> list = new ArrayList<>();
        for (OperationStats s : stats.subList(0, Math.min(limit, stats.size()))) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", s.name());
            e.put("tags", tags(s.tags()));
            e.put("window", latency(s.window()));
            e.put("total", latency(s.total()));
            list.add(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", stats.size());
        out.put("operations", list);
        return out;
    }

    private Map<String, Object> slow(Params p) {
        String kind = p.choice("kind", "slowest", List.of("slowest", "recent"));
        int limit = p.integer("limit", 20, 1, 100);
        List<ProfileTree> trees = kind.equals("recent") ? perf.profiler().recent() : perf.profiler().slowest();
        List<Object> list = new ArrayList<>();
        for (ProfileTree t : trees.subList(0, Math.min(limit, trees.size()))) {
            list.add(tree(t));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind);
        out.put("samplingRate", perf.profiler().samplingRate());
        out.put("requests", list);
        return out;
    }

    private Map<String, Object> inFlight(Params p) {
        String stackOf = p.name("stack", false);
        Map<String, Object> out = new LinkedHashMap<>();
        PerfFilter f = filter;
        out.put("filterInstalled", f != null);
        List<Object> list = new ArrayList<>();
        if (f != null) {
            for (InFlightRequest r : f.inFlight()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("requestId", r.requestId());
                e.put("method", r.method());
                e.put("path", r.path());
                e.put("start", r.start().toString());
                e.put("ageMillis", r.age().toNanos() / 1e6);
                e.put("thread", r.thread());
                list.add(e);
            }
            if (stackOf != null) {
                Optional<List<StackTraceElement>> stack = f.stackOf(stackOf);
                if (stack.isEmpty()) {
                    throw new BadRequest("stack", "no request with this id is in flight");
                }
                List<String> frames = new ArrayList<>();
                for (StackTraceElement el : stack.get()) {
                    frames.add(el.toString());
                }
                out.put("stack", frames);
            }
        }
        out.put("requests", list);
        return out;
    }

    /** Most concurrent server-sent-event streams. */
    public static final int MAX_STREAMS = 16;
    private static final Duration MAX_STREAM_LIFETIME = Duration.ofMinutes(30);

    private final transient java.util.concurrent.atomic.AtomicInteger streams =
            new java.util.concurrent.atomic.AtomicInteger();
    private final transient Object streamLock = new Object();
    private transient java.util.concurrent.@Nullable ScheduledExecutorService streamScheduler;

    private void stream(HttpServletRequest req, HttpServletResponse res, boolean head, Params p) throws IOException {
        Duration interval = p.duration("interval");
        if (interval == null) {
            interval = Duration.ofSeconds(2);
        }
        if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new BadRequest("interval", "must be between 100ms and 1m");
        }
        int events = p.integer("events", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        if (head) {
            write(res, true, 200, "text/event-stream", new byte[0]);
            return;
        }
        if (!req.isAsyncSupported()) {
            error(res, false, 404, "not_found", null, "the stream needs async support on the servlet and filter");
            return;
        }
        if (streams.incrementAndGet() > MAX_STREAMS) {
            streams.decrementAndGet();
            res.setHeader("Retry-After", "10");
            error(res, false, 429, "too_many_streams", null, "at most " + MAX_STREAMS + " streams at once");
            return;
        }
        boolean started = false;
        try {
            res.setStatus(200);
            res.setContentType("text/event-stream");
            res.setCharacterEncoding("UTF-8");
            jakarta.servlet.AsyncContext async = req.startAsync();
            async.setTimeout(MAX_STREAM_LIFETIME.toMillis());
            var out = res.getOutputStream();
            var sent = new java.util.concurrent.atomic.AtomicInteger();
            var done = new java.util.concurrent.atomic.AtomicBoolean();
            var future = new java.util.concurrent.atomic.AtomicReference<java.util.concurrent.ScheduledFuture<?>>();
            Runnable finish = () -> {
                if (done.compareAndSet(false, true)) {
                    streams.decrementAndGet();
                    var f = future.get();
                    if (f != null) {
                        f.cancel(false);
                    }
                    try {
                        async.complete();
                    } catch (RuntimeException e) {
                        LOG.debug("Perfkit: completing an event stream failed", e);
                    }
                }
            };
            async.addListener(new jakarta.servlet.AsyncListener() {
                @Override
                public void onComplete(jakarta.servlet.AsyncEvent event) {
                    finish.run();
                }

                @Override
                public void onTimeout(jakarta.servlet.AsyncEvent event) {
                    finish.run();
                }

                @Override
                public void onError(jakarta.servlet.AsyncEvent event) {
                    finish.run();
                }

                @Override
                public void onStartAsync(jakarta.servlet.AsyncEvent event) {
                    // Not restarted.
                }
            });
            started = true;
            long millis = interval.toMillis();
            future.set(scheduler().scheduleWithFixedDelay(() -> {
                if (done.get()) {
                    return;
                }
                try {
                    byte[] event = ("event: summary\ndata: " + Json.MAPPER.writeValueAsString(summary()) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8);
                    synchronized (out) {
                        out.write(event);
                        out.flush();
                    }
                    if (sent.incrementAndGet() >= events) {
                        finish.run();
                    }
                } catch (IOException | RuntimeException e) {
                    // The client went away (or the summary failed): end this stream only.
                    LOG.debug("Perfkit: event stream ended", e);
                    finish.run();
                }
            }, 0, millis, java.util.concurrent.TimeUnit.MILLISECONDS));
        } finally {
            if (!started) {
                streams.decrementAndGet();
            }
        }
    }

    private java.util.concurrent.ScheduledExecutorService scheduler() {
        synchronized (streamLock) {
            if (streamScheduler == null) {
                streamScheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "perfkit-event-stream");
                    t.setDaemon(true);
                    return t;
                });
            }
            return streamScheduler;
        }
    }

    /** Stops the event-stream scheduler; open streams end. */
    @Override
    public void destroy() {
        diagnostics.close();
        synchronized (streamLock) {
            if (streamScheduler != null) {
                streamScheduler.shutdownNow();
                streamScheduler = null;
            }
        }
        super.destroy();
    }

    private Map<String, Object> summary() {
        MeterRegistry r = perf.registry();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timestamp", perf.clock().wallTime());
        Map<String, Object> http = new LinkedHashMap<>();
        long requests = 0;
        double errors = 0;
        for (io.micrometer.core.instrument.Timer t : r.find(MetricNames.HTTP_SERVER_REQUESTS).timers()) {
            requests += t.count();
            if ("5xx".equals(t.getId().getTag("status.class"))) {
                errors += t.count();
            }
        }
        http.put("requests", requests);
        http.put("serverErrors", errors);
        PerfFilter f = filter;
        http.put("inFlight", f == null ? null : f.inFlight().size());
        out.put("http", http);
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("heapUsedBytes", gauge(r, io.github.perfkit.core.metrics.MetricNames.JVM_HEAP_USED));
        jvm.put("heapMaxBytes", gauge(r, io.github.perfkit.core.metrics.MetricNames.JVM_HEAP_MAX));
        jvm.put("threadsLive", gauge(r, io.github.perfkit.core.metrics.MetricNames.JVM_THREADS_LIVE));
        jvm.put("cpuUsage", gauge(r, io.github.perfkit.core.metrics.MetricNames.JVM_CPU_USAGE));
        out.put("jvm", jvm);
        out.put("systemCpuUsage", gauge(r, io.github.perfkit.core.metrics.MetricNames.SYSTEM_CPU_USAGE));
        return out;
    }

    private static Map<String, Object> threads(Params p) {
        List<String> states = new ArrayList<>();
        for (Thread.State st : Thread.State.values()) {
            states.add(st.name().toLowerCase(java.util.Locale.ROOT));
        }
        List<String> choices = new ArrayList<>(states);
        choices.add("all");
        String state = p.choice("state", "all", choices);
        int limit = p.integer("limit", 200, 1, 2000);
        int depth = p.integer("depth", 20, 0, 200);
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        java.lang.management.ThreadInfo[] infos = mx.dumpAllThreads(false, false, depth);
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (String st : states) {
            byState.put(st, 0);
        }
        List<Object> list = new ArrayList<>();
        for (java.lang.management.ThreadInfo info : infos) {
            if (info == null) {
                continue;
            }
            String st = info.getThreadState().name().toLowerCase(java.util.Locale.ROOT);
            byState.merge(st, 1, Integer::sum);
            if ((state.equals("all") || state.equals(st)) && list.size() < limit) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("id", info.getThreadId());
                t.put("name", info.getThreadName());
                t.put("state", st);
                t.put("daemon", info.isDaemon());
                t.put("lockName", info.getLockName());
                List<String> frames = new ArrayList<>();
                for (StackTraceElement el : info.getStackTrace()) {
                    frames.add(el.toString());
                }
                t.put("stack", frames);
                list.add(t);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", infos.length);
        out.put("byState", byState);
        out.put("threads", list);
        return out;
    }

    // ------------------------------------------------------------------ rendering

    private static Map<String, Object> tree(ProfileTree t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("start", t.startTime().toString());
        out.put("durationMillis", t.durationNanos() / 1e6);
        out.put("nodeCount", t.nodeCount());
        out.put("droppedNodes", t.droppedNodes());
        out.put("sampled", t.sampled());
        out.put("root", node(t.root()));
        return out;
    }

    private static Map<String, Object> node(ProfileNode n) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", n.name());
        out.put("startOffsetMillis", n.startOffsetNanos() / 1e6);
        out.put("durationMillis", n.finished() ? n.durationNanos() / 1e6 : null);
        out.put("tags", n.tags());
        out.put("queryCount", n.queryCount());
        List<Object> children = new ArrayList<>(n.children().size());
        for (ProfileNode c : n.children()) {
            children.add(node(c));
        }
        out.put("children", children);
        return out;
    }

    private static Map<String, Object> latency(LatencySnapshot s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", s.count());
        out.put("ratePerSecond", finite(s.ratePerSecond()));
        out.put("meanMillis", finite(s.meanNanos() / 1e6));
        out.put("minMillis", s.minNanos() / 1e6);
        out.put("maxMillis", s.maxNanos() / 1e6);
        out.put("p50Millis", s.p50Nanos() / 1e6);
        out.put("p90Millis", s.p90Nanos() / 1e6);
        out.put("p95Millis", s.p95Nanos() / 1e6);
        out.put("p99Millis", s.p99Nanos() / 1e6);
        out.put("p999Millis", s.p999Nanos() / 1e6);
        out.put("periodMillis", s.period().toMillis());
        return out;
    }

    private static Map<String, String> tags(Iterable<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) {
            out.put(t.getKey(), t.getValue());
        }
        return out;
    }

    private static @Nullable Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double finiteOrZero(double v) {
        return Double.isFinite(v) ? v : 0.0;
    }

    private static Object jsonSafe(Map<String, Object> section) {
        try {
            // Contributors may return anything: keep what Jackson can write, else its string form.
            return Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(section), Object.class);
        } catch (IOException | RuntimeException e) {
            return Map.of("error", "section is not serialisable: " + e.getClass().getSimpleName());
        }
    }

    private static byte[] jsonBytes(Object body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not render JSON", e);
        }
    }

    private static void json(HttpServletResponse res, boolean head, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not render JSON", e);
        }
        write(res, head, status, JSON, bytes);
    }

    private static void error(HttpServletResponse res, boolean head, int status, String error,
            @Nullable String parameter, @Nullable String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        body.put("message", message == null ? "" : message);
        json(res, head, status, body);
    }

    private static void write(HttpServletResponse res, boolean head, int status, String contentType, byte[] body)
            throws IOException {
        res.setStatus(status);
        res.setContentType(contentType);
        res.setContentLength(body.length);
        if (!head) {
            res.getOutputStream().write(body);
        }
    }

    private static @Nullable PrometheusMeterRegistry findPrometheus(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry p) {
            return p;
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry child : composite.getRegistries()) {
                PrometheusMeterRegistry p = findPrometheus(child);
                if (p != null) {
                    return p;
                }
            }
            PrometheusMeterRegistry p = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            composite.add(p);
            LOG.info("Perfkit: added a PrometheusMeterRegistry to the hub's composite registry for /metrics");
            return p;
        }
        // Logged on the first /metrics request instead: a hub built only to load classes (Perfkit's Spring Boot
        // preinitializer) or one whose application never scrapes should not log it.
        return null;
    }

    /** Jackson, built on the first JSON answer rather than at start-up (an object mapper costs milliseconds). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

        private Json() {}
    }
}
