package io.github.perfkit.servlet;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.Scope;
import io.github.perfkit.servlet.internal.CountingResponse;
import io.github.perfkit.servlet.internal.InFlightTracker;
import io.github.perfkit.servlet.internal.PathCache;
import io.github.perfkit.servlet.internal.Paths;
import io.github.perfkit.servlet.internal.PlainPaths;
import io.github.perfkit.servlet.internal.RequestMeters;
import io.github.perfkit.servlet.internal.RequestIds;
import io.github.perfkit.servlet.internal.ThreadUsage;
import io.github.perfkit.servlet.internal.UriTemplates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Servlet filter that measures every request: a {@link MetricNames#HTTP_SERVER_REQUESTS} timer by
 * method, URI template, status, status class and exception; the in-flight gauge; request and
 * response sizes; thread CPU time and allocated bytes; a profile scope
 * ({@code perf.profiler().request(..)}) so tracker scopes nest under the request and slow requests
 * are captured; the {@code X-Request-ID} (validated or generated) in the SLF4J MDC and echoed in
 * the response; and a live registry of requests in flight.
 *
 * <pre>{@code
 * Perf perf = Perf.builder().registry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).build();
 * servletContext.addFilter("perfkit", new PerfFilter(perf, PerfFilterConfig.ofDefaults()))
 *         .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
 * }</pre>
 *
 * <p>The filter never reads the request body, never buffers the response and never throws
 * because of its own failures: they are counted in {@link MetricNames#HTTP_SERVER_MONITORING_FAILURES}
 * and logged once. Async requests: the latency ends when the async context completes (an
 * {@link AsyncListener}); the profile tree, CPU time and allocation cover the dispatch thread's
 * part, because the profiler's scopes belong to a thread. Register the filter with
 * {@link DispatcherType#ASYNC} too, so async re-dispatches run with the request id in the MDC.
 *
 * <p>Thread-safe: one instance serves all requests.
 */
public final class PerfFilter implements Filter {

    /** Request attribute holding the request id (readable by the application). */
    public static final String REQUEST_ID_ATTRIBUTE = PerfFilter.class.getName() + ".requestId";

    private static final Logger LOG = LoggerFactory.getLogger(PerfFilter.class);
    /**
     * The exchange being measured on this thread, so a second pass through a Perfkit filter within the same
     * dispatch (the filter mapped twice) only passes through. A thread-local instead of a request attribute: the
     * containers' attribute maps cost more than the rest of the start of a measurement. Cleared (set to null, the
     * entry holds nothing) when the dispatch returns.
     */
    private static final ThreadLocal<@Nullable Exchange> MEASURING = new ThreadLocal<>();
    private static final String NOT_FOUND = "NOT_FOUND";
    private static final String REDIRECTION = "REDIRECTION";
    private static final String NONE = "none";

    private final Perf perf;
    private final PerfFilterConfig config;
    private final MeterRegistry registry;
    private final UriTemplates templates;
    private final RequestMeters meters;
    private final InFlightTracker inFlight;
    /** Exclusion and normalised template of recently seen paths. */
    private final PathCache paths = new PathCache();
    private final ThreadUsage threadUsage;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final @Nullable Counter overflowCounter;
    private volatile @Nullable PerfEndpointsServlet endpoints;

    /**
     * A filter with the default configuration.
     *
     * @param perf the hub whose registry and profiler are used
     */
    public PerfFilter(Perf perf) {
        this(perf, PerfFilterConfig.ofDefaults());
    }

    /**
     * A filter with the given configuration.
     *
     * @param perf the hub whose registry and profiler are used
     * @param config the configuration
     */
    public PerfFilter(Perf perf, PerfFilterConfig config) {
        this.perf = Objects.requireNonNull(perf, "perf");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = perf.registry();
        this.templates = new UriTemplates(config.maxUriTemplates());
        this.meters = new RequestMeters(registry, templates);
        this.inFlight = new InFlightTracker(config.maxInFlight());
        this.threadUsage = new ThreadUsage();
        Counter overflow = null;
        try {
            Gauge.builder(MetricNames.HTTP_SERVER_REQUESTS_ACTIVE, inFlight, InFlightTracker::active)
                    .description("Requests in flight").baseUnit("requests").strongReference(true).register(registry);
            overflow = Counter.builder(MetricNames.HTTP_SERVER_URI_OVERFLOW)
                    .description("Requests whose URI template was folded into OTHER (template cap reached)")
                    .register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder(MetricNames.HTTP_SERVER_MONITORING_FAILURES,
                            failures, AtomicLong::get)
                    .description("Failures inside Perfkit's request monitoring (never thrown to the request)")
                    .register(registry);
        } catch (RuntimeException e) {
            failed("registering the filter's meters", e);
        }
        this.overflowCounter = overflow;
    }

    /**
     * Lets this filter answer every request whose canonical path is under the endpoints' base path
     * by calling the endpoints directly. Containers map servlets on the raw path, so case or
     * encoding variants ({@code /PERF/health}, {@code /%70erf/health}) would otherwise reach the
     * application instead; with this, every variant the container lets through gets the same
     * answer as the plain path. Mapping the servlet in the container as well is harmless.
     *
     * @param servlet the endpoints to serve
     * @return this filter
     */
    public PerfFilter serveEndpoints(PerfEndpointsServlet servlet) {
        this.endpoints = Objects.requireNonNull(servlet, "servlet");
        return this;
    }

    /**
     * The configuration.
     *
     * @return the configuration this filter was built with
     */
    public PerfFilterConfig config() {
        return config;
    }

    /**
     * Requests in flight now, oldest first (at most {@link PerfFilterConfig#maxInFlight()}).
     *
     * @return a snapshot
     */
    public List<InFlightRequest> inFlight() {
        return inFlight.snapshot(System.nanoTime());
    }

    /**
     * The current stack of the thread serving a request in flight.
     *
     * @param requestId the request id
     * @return the stack, or empty when that request is not in flight (or not kept)
     */
    public Optional<List<StackTraceElement>> stackOf(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        return inFlight.stack(requestId);
    }

    /**
     * Number of distinct URI templates recorded so far (bounded by {@link PerfFilterConfig#maxUriTemplates()}).
     *
     * @return the count
     */
    public int uriTemplateCount() {
        return templates.size();
    }

    /**
     * Failures inside the filter's monitoring code since start.
     *
     * @return the count
     */
    public long monitoringFailures() {
        return failures.get();
    }

    /**
     * The URI template a path would be recorded under if no framework pattern were known, without
     * admitting it under the cap. Useful to check exclusion and normalisation rules.
     *
     * @param path a raw request path
     * @return the normalised template
     */
    public static String normalise(String path) {
        return UriTemplates.normalise(Objects.requireNonNull(path, "path"));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse res)) {
            chain.doFilter(request, response);
            return;
        }
        PerfEndpointsServlet served = endpoints;
        if (served != null && req.getDispatcherType() == DispatcherType.REQUEST && served.handles(req)) {
            served.service(req, res);
            return;
        }
        if (req.getDispatcherType() != DispatcherType.REQUEST || MEASURING.get() != null) {
            passThrough(req, res, chain);
            return;
        }
        Exchange ex = begin(req, res);
        if (ex == null) {
            chain.doFilter(request, response);
            return;
        }
        Throwable error = null;
        MEASURING.set(ex);
        try {
            chain.doFilter(req, ex.response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            error = e;
            throw e;
        } finally {
            MEASURING.set(null);
            end(ex, req, error);
        }
    }

    /** Re-dispatches (async, forward, error) and nested passes: only the MDC, no second measurement. */
    private void passThrough(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        Object id = req.getAttribute(REQUEST_ID_ATTRIBUTE);
        String key = config.mdcKey();
        String previous = null;
        boolean put = false;
        if (id instanceof String s) {
            try {
                previous = MDC.get(key);
                MDC.put(key, s);
                put = true;
            } catch (RuntimeException | LinkageError e) {
                failed("setting the MDC", e);
            }
        }
        try {
            chain.doFilter(req, res);
        } finally {
            if (put) {
                restoreMdc(key, previous);
            }
        }
    }

    private @Nullable Exchange begin(HttpServletRequest req, HttpServletResponse res) {
        String key = config.mdcKey();
        boolean mdcSet = false;
        String previousMdc = null;
        InFlightTracker.Entry entry = null;
        try {
            String path = pathOf(req);
            PathCache.Entry known = paths.get(path);
            if (known == null) {
                boolean excluded = excluded(path);
                known = new PathCache.Entry(path, excluded, excluded ? null : UriTemplates.normalise(path));
                paths.put(known);
            }
            String normalised = known.normalised();
            if (known.excluded() || normalised == null) {
                return null;
            }
            String incoming = req.getHeader(config.requestIdHeader());
            String id = RequestIds.isValid(incoming) ? incoming : RequestIds.generate();
            req.setAttribute(REQUEST_ID_ATTRIBUTE, id);
            res.setHeader(config.requestIdHeader(), id);
            previousMdc = MDC.get(key);
            MDC.put(key, id);
            mdcSet = true;
            int method = RequestMeters.methodIndex(req.getMethod());
            Exchange ex = new Exchange(id, method, path, normalised, previousMdc, new CountingResponse(res));
            ex.startNanos = System.nanoTime();
            entry = inFlight.start(id, RequestMeters.methodName(method), path, ex.startNanos);
            ex.inFlight = entry;
            if (config.threadUsage()) {
                ex.allocStart = threadUsage.allocatedBytes();
                double rate = config.cpuSamplingRate();
                if (rate >= 1.0 || (rate > 0.0 && ThreadLocalRandom.current().nextDouble() < rate)) {
                    ex.cpuStart = threadUsage.cpuNanos();
                }
            }
            openProfileScope(ex, id);
            return ex;
        } catch (RuntimeException | LinkageError e) {
            failed("starting the request's measurement", e);
            // Undo what was set so a half-started measurement leaks nothing into later requests.
            try {
                if (entry != null) {
                    inFlight.end(entry);
                }
            } catch (RuntimeException | LinkageError again) {
                failed("undoing a failed start", again);
            }
            if (mdcSet) {
                restoreMdc(key, previousMdc);
            }
            return null;
        }
    }

    private void openProfileScope(Exchange ex, String id) {
        double rate = config.profileSamplingRate();
        if (!(rate >= 1.0 || (rate > 0.0 && ThreadLocalRandom.current().nextDouble() < rate))) {
            return;
        }
        try {
            // Only known templates name profile trees, so a URL scan cannot flood the tracker with
            // operations; a first-seen path is named "<method> OTHER" and tagged with its template.
            RequestMeters.Endpoint known = meters.known(ex.normalised());
            ex.named = known;
            Scope scope = perf.profiler().request(known != null ? known.profileName(ex.method)
                    : meters.otherProfileName(ex.method));
            ex.scope = scope;
            scope.tag("requestId", id);
        } catch (RuntimeException | LinkageError e) {
            failed("opening the request's profile scope", e);
        }
    }

    private void end(Exchange ex, HttpServletRequest req, @Nullable Throwable error) {
        boolean async = false;
        try {
            async = req.isAsyncStarted();
        } catch (RuntimeException e) {
            failed("checking for async", e);
        }
        try {
            if (config.threadUsage()) {
                long alloc = threadUsage.allocatedBytes();
                ex.allocBytes = alloc >= 0 && ex.allocStart >= 0 ? alloc - ex.allocStart : -1;
                if (ex.cpuStart >= 0) {
                    long cpu = threadUsage.cpuNanos();
                    ex.cpuNanos = cpu >= 0 ? cpu - ex.cpuStart : -1;
                }
            }
            Scope scope = ex.scope;
            if (scope != null) {
                ex.scope = null;
                String pattern = frameworkPattern(req, ex);
                String uri = pattern != null ? pattern : ex.normalised();
                RequestMeters.Endpoint named = ex.named;
                if (named == null || !named.template().equals(uri)) {
                    scope.tag("uri", uri);
                }
                if (ex.cpuNanos >= 0) {
                    scope.tag("cpuMicros", ex.cpuNanos / 1_000);
                }
                if (ex.allocBytes >= 0) {
                    scope.tag("allocatedBytes", ex.allocBytes);
                }
                scope.close();
            }
        } catch (RuntimeException | LinkageError e) {
            failed("closing the request's profile scope", e);
        }
        if (async) {
            try {
                req.getAsyncContext().addListener(new Completion(ex, req));
            } catch (RuntimeException e) {
                failed("listening for async completion", e);
                record(ex, req, error);
            }
        } else {
            record(ex, req, error);
        }
        restoreMdc(config.mdcKey(), ex.previousMdc);
    }

    private void record(Exchange ex, HttpServletRequest req, @Nullable Throwable error) {
        if (!RECORDED.compareAndSet(ex, 0, 1)) {
            return;
        }
        long nanos = System.nanoTime() - ex.startNanos;
        InFlightTracker.Entry entry = ex.inFlight;
        try {
            if (entry != null) {
                inFlight.end(entry);
            }
        } catch (RuntimeException e) {
            failed("removing the request from the in-flight registry", e);
        }
        try {
            int status = ex.response.getStatus();
            // A framework that handled an exception itself leaves it in the error attribute: read only for error
            // responses (a handled exception answered with a success is a success).
            Throwable t = error != null ? error : status >= 400 ? errorAttribute(req) : null;
            if (t != null && status < 400) {
                // The container turns an escaping exception into a 500.
                status = 500;
            }
            RequestMeters.Endpoint endpoint = endpoint(req, ex, status);
            if (entry != null) {
                entry.template(endpoint.template());
            }
            if (t == null) {
                endpoint.timer(ex.method, status).record(nanos, TimeUnit.NANOSECONDS);
            } else {
                String exception = t.getClass().getSimpleName();
                meters.timer(RequestMeters.methodName(ex.method), endpoint.template(), status,
                        exception.isEmpty() ? t.getClass().getName() : exception).record(nanos, TimeUnit.NANOSECONDS);
            }
            RequestMeters.Meters m = endpoint.meters(ex.method);
            // GET and HEAD carry no body in practice: their Content-Length is not looked up (a header search).
            long requestSize = ex.method == RequestMeters.GET || ex.method == RequestMeters.HEAD
                    ? -1 : req.getContentLengthLong();
            if (requestSize >= 0) {
                m.requestSize().record(requestSize);
            }
            m.responseSize().record(responseSize(ex.response));
            if (ex.cpuNanos >= 0) {
                m.cpu().record(ex.cpuNanos, TimeUnit.NANOSECONDS);
            }
            if (ex.allocBytes >= 0) {
                m.allocated().record(ex.allocBytes);
            }
        } catch (RuntimeException | LinkageError e) {
            failed("recording the request's metrics", e);
        }
    }

    /** The framework's URI pattern for this request (clipped), or null: read once per request. */
    private @Nullable String frameworkPattern(HttpServletRequest req, Exchange ex) {
        if (ex.patternRead) {
            return ex.pattern;
        }
        String attr = config.uriTemplateAttribute();
        Object pattern = attr == null ? null : req.getAttribute(attr);
        String p = pattern instanceof String s && !s.isEmpty() ? UriTemplates.clip(s) : null;
        ex.pattern = p;
        ex.patternRead = true;
        return p;
    }

    private RequestMeters.Endpoint endpoint(HttpServletRequest req, Exchange ex, int status) {
        String pattern = frameworkPattern(req, ex);
        if (pattern != null) {
            return admit(pattern);
        }
        // Without a framework pattern, 404s and redirects are folded so scanners cannot fill the cap.
        if (status == 404) {
            return meters.fold(NOT_FOUND);
        }
        if (status >= 300 && status < 400) {
            return meters.fold(REDIRECTION);
        }
        RequestMeters.Endpoint named = ex.named;
        String normalised = ex.normalised();
        return named != null && named.template().equals(normalised) ? named : admit(normalised);
    }

    private RequestMeters.Endpoint admit(String template) {
        RequestMeters.Endpoint e = meters.admit(template);
        if (UriTemplates.OTHER.equals(e.template()) && overflowCounter != null) {
            overflowCounter.increment();
        }
        return e;
    }

    private static long responseSize(CountingResponse response) {
        long counted = response.bytesWritten();
        if (counted > 0) {
            return counted;
        }
        String header = response.getHeader("Content-Length");
        if (header != null) {
            try {
                return Math.max(0, Long.parseLong(header.trim()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static @Nullable Throwable errorAttribute(HttpServletRequest req) {
        Object o = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        return o instanceof Throwable t ? t : null;
    }

    private static String pathOf(HttpServletRequest req) {
        String uri = req.getRequestURI();
        if (uri == null) {
            return "/";
        }
        String ctx = req.getContextPath();
        if (ctx != null && !ctx.isEmpty() && uri.startsWith(ctx)) {
            uri = uri.substring(ctx.length());
        }
        return uri.isEmpty() ? "/" : uri;
    }

    private boolean excluded(String path) {
        if (PlainPaths.isPlain(path)) {
            return PlainPaths.below(path, 0, config.monitoringPath())
                    || PlainPaths.startsWithAny(path, config.excludedPrefixes())
                    || PlainPaths.hasExtension(path, config.staticExtensions());
        }
        String canonical = Paths.canonical(path);
        if (Paths.below(canonical, config.monitoringPath()) != null) {
            return true;
        }
        for (String prefix : config.excludedPrefixes()) {
            if (canonical.startsWith(prefix)) {
                return true;
            }
        }
        int slash = canonical.lastIndexOf('/');
        int dot = canonical.lastIndexOf('.');
        if (dot > slash) {
            String ext = canonical.substring(dot).toLowerCase(Locale.ROOT);
            return config.staticExtensions().contains(ext);
        }
        return false;
    }

    private void restoreMdc(String key, @Nullable String previous) {
        try {
            if (previous == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, previous);
            }
        } catch (RuntimeException | LinkageError e) {
            failed("restoring the MDC", e);
        }
    }

    private void failed(String what, Throwable e) {
        failures.incrementAndGet();
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("Perfkit: request monitoring failed while {}; the request goes on unmeasured. "
                    + "Further failures are counted in {} and logged at DEBUG.", what,
                    MetricNames.HTTP_SERVER_MONITORING_FAILURES, e);
        } else {
            LOG.debug("Perfkit: request monitoring failed while {}", what, e);
        }
    }

    private static final AtomicIntegerFieldUpdater<Exchange> RECORDED =
            AtomicIntegerFieldUpdater.newUpdater(Exchange.class, "recorded");

    /** Per-request state; fields written by the dispatch thread, read at completion (happens-before via the container). */
    private static final class Exchange {
        final String id;
        final int method;
        final String path;
        final @Nullable String previousMdc;
        final CountingResponse response;
        // Only `recorded` is contended (dispatch end vs async completion). The other fields are written by the
        // dispatch thread before the chain returns and read after: the container orders an async completion after
        // the dispatch (Servlet spec, AsyncContext), so plain fields are enough and cost no fences per request.
        volatile int recorded;
        long startNanos;
        InFlightTracker.@Nullable Entry inFlight;
        @Nullable Scope scope;
        RequestMeters.@Nullable Endpoint named;
        @Nullable String pattern;
        boolean patternRead;
        private final String normalised;
        long cpuStart = -1;
        long allocStart = -1;
        long cpuNanos = -1;
        long allocBytes = -1;

        Exchange(String id, int method, String path, String normalised, @Nullable String previousMdc,
                CountingResponse response) {
            this.id = id;
            this.method = method;
            this.path = path;
            this.normalised = normalised;
            this.previousMdc = previousMdc;
            this.response = response;
        }

        /** The path's normalised template (from the path cache). */
        String normalised() {
            return normalised;
        }
    }

    /** Ends an async request's measurement when its async context completes. */
    private final class Completion implements AsyncListener {
        private final Exchange ex;
        private final HttpServletRequest req;
        private volatile @Nullable Throwable error;

        Completion(Exchange ex, HttpServletRequest req) {
            this.ex = ex;
            this.req = req;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            record(ex, req, error);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // The container completes the request after this; keep the timeout's outcome.
        }

        @Override
        public void onError(AsyncEvent event) {
            error = event.getThrowable();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
