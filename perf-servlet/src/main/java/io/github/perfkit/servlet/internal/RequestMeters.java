package io.github.perfkit.servlet.internal;

import io.github.perfkit.servlet.MetricNames;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The filter's meters and profile-scope names per URI template, resolved once and then reused, so
 * recording a request costs one map lookup by template instead of a registry lookup per meter
 * (building a meter id and hashing its tags is most of what a Micrometer builder costs).
 *
 * <p>Bounded: the map holds the templates the {@link UriTemplates} cap admits plus the three fixed
 * folds ({@link UriTemplates#OTHER}, {@code NOT_FOUND}, {@code REDIRECTION}); each template keeps at
 * most {@link #MAX_CACHED_PER_TEMPLATE} (method, status) meter sets, past which a request is still
 * recorded, through the registry's own lookup. A meter removed from the registry by someone else keeps
 * receiving recordings here (as with any cached Micrometer meter).
 *
 * <p>Thread-safe.
 */
public final class RequestMeters {

    /** Method names by index; {@link #methodIndex(String)} maps a request method to its index. */
    private static final String[] METHODS = {
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "OTHER", "UNKNOWN"
    };

    /** Most (method, status) meter sets cached per template. */
    public static final int MAX_CACHED_PER_TEMPLATE = 32;

    private final MeterRegistry registry;
    private final UriTemplates templates;
    private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final String[] otherProfileNames = new String[METHODS.length];

    /**
     * @param registry where the meters are registered
     * @param templates the cap on distinct templates
     */
    public RequestMeters(MeterRegistry registry, UriTemplates templates) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.templates = Objects.requireNonNull(templates, "templates");
        for (int i = 0; i < METHODS.length; i++) {
            otherProfileNames[i] = METHODS[i] + " " + UriTemplates.OTHER;
        }
    }

    /** {@link #methodIndex} of GET. */
    public static final int GET = 0;
    /** {@link #methodIndex} of HEAD. */
    public static final int HEAD = 5;

    /**
     * The index of a request method: one of the nine standard methods, else {@code OTHER}, or
     * {@code UNKNOWN} for none.
     *
     * @param method the request method
     * @return its index
     */
    public static int methodIndex(@Nullable String method) {
        if (method == null) {
            return 10;
        }
        return switch (method) {
            case "GET" -> 0;
            case "POST" -> 1;
            case "PUT" -> 2;
            case "DELETE" -> 3;
            case "PATCH" -> 4;
            case "HEAD" -> 5;
            case "OPTIONS" -> 6;
            case "TRACE" -> 7;
            case "CONNECT" -> 8;
            default -> 9;
        };
    }

    /**
     * @param index a method index
     * @return the method's tag value
     */
    public static String methodName(int index) {
        return METHODS[index];
    }

    /**
     * The endpoint of a template already admitted, without admitting it.
     *
     * @param template a template
     * @return the endpoint, or null when the template was never admitted
     */
    public @Nullable Endpoint known(String template) {
        return endpoints.get(template);
    }

    /**
     * The endpoint of a template, admitting it under the cap ({@link UriTemplates#OTHER} past it).
     *
     * @param template a template
     * @return the endpoint
     */
    public Endpoint admit(String template) {
        Endpoint e = endpoints.get(template);
        if (e != null) {
            return e;
        }
        return endpoints.computeIfAbsent(templates.admit(template), Endpoint::new);
    }

    /**
     * The endpoint of a fixed fold ({@code NOT_FOUND}, {@code REDIRECTION}), outside the cap.
     *
     * @param fold the fold's name
     * @return the endpoint
     */
    public Endpoint fold(String fold) {
        Endpoint e = endpoints.get(fold);
        return e != null ? e : endpoints.computeIfAbsent(fold, Endpoint::new);
    }

    /**
     * The profile-scope name of a request whose template is not known yet.
     *
     * @param method a method index
     * @return {@code "<method> OTHER"}
     */
    public String otherProfileName(int method) {
        return otherProfileNames[method];
    }

    /** One URI template: its profile names per method and its meter sets per (method, status). */
    public final class Endpoint {
        private final String template;
        // Racy lazy caches of immutable Strings: a lost race computes the same value twice.
        private final @Nullable String[] profileNames = new String[METHODS.length];
        private final @Nullable Meters[] byMethod = new Meters[METHODS.length];
        private volatile MetersByStatus[] byStatus = new MetersByStatus[0];

        Endpoint(String template) {
            this.template = template;
        }

        /** @return the template */
        public String template() {
            return template;
        }

        /**
         * @param method a method index
         * @return {@code "<method> <template>"}, the name of the request's profile scope
         */
        public String profileName(int method) {
            String n = profileNames[method];
            if (n == null) {
                n = METHODS[method] + " " + template;
                profileNames[method] = n;
            }
            return n;
        }

        /**
         * The size, CPU and allocation meters of one method (tagged method and uri).
         *
         * @param method a method index
         * @return the meters
         */
        public Meters meters(int method) {
            Meters m = byMethod[method];
            if (m == null) {
                // Registering twice returns the same meters: a lost race is harmless.
                m = new Meters(registry, Tags.of("method", METHODS[method], "uri", template));
                byMethod[method] = m;
            }
            return m;
        }

        /**
         * The request timer of one (method, status) without an exception.
         *
         * @param method a method index
         * @param status the response status
         * @return the timer
         */
        public Timer timer(int method, int status) {
            MetersByStatus[] list = byStatus;
            for (MetersByStatus m : list) {
                if (m.method == method && m.status == status) {
                    return m.timer;
                }
            }
            Timer timer = RequestMeters.this.timer(METHODS[method], template, status, null);
            synchronized (this) {
                list = byStatus;
                if (list.length < MAX_CACHED_PER_TEMPLATE
                        && Arrays.stream(list).noneMatch(m -> m.method == method && m.status == status)) {
                    MetersByStatus[] grown = Arrays.copyOf(list, list.length + 1);
                    grown[list.length] = new MetersByStatus(method, status, timer);
                    byStatus = grown;
                }
            }
            return timer;
        }
    }

    /**
     * The request timer of any (method, template, status, exception), through the registry's lookup.
     *
     * @param method the method tag
     * @param template the uri tag
     * @param status the response status
     * @param exception the exception's simple name, or null for none
     * @return the timer
     */
    public Timer timer(String method, String template, int status, @Nullable String exception) {
        return Timer.builder(MetricNames.HTTP_SERVER_REQUESTS).description("HTTP server requests")
                .tags("method", method, "uri", template, "status", Integer.toString(status),
                        "status.class", statusClass(status), "exception", exception == null ? "none" : exception)
                .register(registry);
    }

    private static String statusClass(int status) {
        if (status < 100 || status > 599) {
            return "unknown";
        }
        return (status / 100) + "xx";
    }

    private record MetersByStatus(int method, int status, Timer timer) {}

    /** The per-(method, template) meters that do not carry the status. */
    public static final class Meters {
        private final MeterRegistry registry;
        private final Tags tags;
        private final DistributionSummary responseSize;
        private volatile @Nullable DistributionSummary allocated;
        private volatile @Nullable DistributionSummary requestSize;
        private volatile @Nullable Timer cpu;

        Meters(MeterRegistry registry, Tags tags) {
            this.registry = registry;
            this.tags = tags;
            this.responseSize = DistributionSummary.builder(MetricNames.HTTP_SERVER_RESPONSE_SIZE)
                    .baseUnit(BaseUnits.BYTES).description("Response body sizes").tags(tags).register(registry);
        }

        /** @return response body sizes */
        public DistributionSummary responseSize() {
            return responseSize;
        }

        /** @return bytes allocated per request (registered on first use) */
        public DistributionSummary allocated() {
            DistributionSummary s = allocated;
            if (s == null) {
                s = DistributionSummary.builder(MetricNames.HTTP_SERVER_REQUEST_ALLOCATED).baseUnit(BaseUnits.BYTES)
                        .description("Bytes allocated per request on its dispatch thread").tags(tags).register(registry);
                allocated = s;
            }
            return s;
        }

        /** @return request body sizes (registered on first use: most requests have no body) */
        public DistributionSummary requestSize() {
            DistributionSummary s = requestSize;
            if (s == null) {
                s = DistributionSummary.builder(MetricNames.HTTP_SERVER_REQUEST_SIZE).baseUnit(BaseUnits.BYTES)
                        .description("Request body sizes (Content-Length)").tags(tags).register(registry);
                requestSize = s;
            }
            return s;
        }

        /** @return thread CPU time per request (registered on first use) */
        public Timer cpu() {
            Timer t = cpu;
            if (t == null) {
                t = Timer.builder(MetricNames.HTTP_SERVER_REQUEST_CPU)
                        .description("Thread CPU time per request (a sample of requests, see PerfFilterConfig)")
                        .tags(tags).register(registry);
                cpu = t;
            }
            return t;
        }
    }
}
