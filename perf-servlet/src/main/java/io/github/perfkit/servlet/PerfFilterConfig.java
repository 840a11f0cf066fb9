package io.github.perfkit.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of {@link PerfFilter}.
 *
 * <pre>{@code
 * PerfFilterConfig config = PerfFilterConfig.builder()
 *         .uriTemplateAttribute("org.springframework.web.servlet.HandlerMapping.bestMatchingPattern")
 *         .maxUriTemplates(500)
 *         .exclude("/static/")
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class PerfFilterConfig {

    /** Default cap on distinct URI templates; further templates are recorded as {@code OTHER}. */
    public static final int DEFAULT_MAX_URI_TEMPLATES = 500;
    /** Default request-id header. */
    public static final String DEFAULT_REQUEST_ID_HEADER = "X-Request-ID";
    /** Default SLF4J MDC key of the request id. */
    public static final String DEFAULT_MDC_KEY = "requestId";
    /** Default monitoring base path, excluded from request metrics. */
    public static final String DEFAULT_MONITORING_PATH = "/perf";
    /** Default cap on requests kept in the live in-flight registry. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 2_000;
    /** Default fraction of requests whose thread CPU time is measured. */
    public static final double DEFAULT_CPU_SAMPLING_RATE = 0.01;
    /** Default file extensions treated as static assets and excluded. */
    public static final List<String> DEFAULT_STATIC_EXTENSIONS = List.of(
            ".css", ".js", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2", ".ttf");

    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern MDC_KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final @Nullable String uriTemplateAttribute;
    private final int maxUriTemplates;
    private final String requestIdHeader;
    private final String mdcKey;
    private final String monitoringPath;
    private final List<String> excludedPrefixes;
    private final List<String> staticExtensions;
    private final double profileSamplingRate;
    private final boolean threadUsage;
    private final double cpuSamplingRate;
    private final int maxInFlight;

    private PerfFilterConfig(Builder b) {
        this.uriTemplateAttribute = b.uriTemplateAttribute;
        this.maxUriTemplates = b.maxUriTemplates;
        this.requestIdHeader = b.requestIdHeader;
        this.mdcKey = b.mdcKey;
        this.monitoringPath = b.monitoringPath;
        this.excludedPrefixes = List.copyOf(b.excludedPrefixes);
        this.staticExtensions = List.copyOf(b.staticExtensions);
        this.profileSamplingRate = b.profileSamplingRate;
        this.threadUsage = b.threadUsage;
        this.cpuSamplingRate = b.cpuSamplingRate;
        this.maxInFlight = b.maxInFlight;
    }

    /**
     * The defaults: no framework attribute, 500 templates, {@code X-Request-ID}, MDC key
     * {@code requestId}, {@code /perf} and static assets excluded, every request profiled, thread
     * CPU and allocation measured.
     *
     * @return the default configuration
     */
    public static PerfFilterConfig ofDefaults() {
        return builder().build();
    }

    /**
     * A new builder holding the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Request attribute holding the framework's matched pattern (e.g. Spring's
     * {@code org.springframework.web.servlet.HandlerMapping.bestMatchingPattern}), read after the
     * chain ran; absent when none is configured.
     *
     * @return the attribute name, or {@code null}
     */
    public @Nullable String uriTemplateAttribute() {
        return uriTemplateAttribute;
    }

    /**
     * Hard cap on distinct URI templates; once reached, new ones are recorded as {@code OTHER}.
     *
     * @return the cap, at least 1
     */
    public int maxUriTemplates() {
        return maxUriTemplates;
    }

    /**
     * Header read and echoed for the request id.
     *
     * @return the header name
     */
    public String requestIdHeader() {
        return requestIdHeader;
    }

    /**
     * SLF4J MDC key holding the request id while the request runs.
     *
     * @return the MDC key
     */
    public String mdcKey() {
        return mdcKey;
    }

    /**
     * Monitoring base path (the endpoints' path), excluded from request metrics.
     *
     * @return a path starting with {@code /}, without trailing slash
     */
    public String monitoringPath() {
        return monitoringPath;
    }

    /**
     * Path prefixes (relative to the context path) excluded from monitoring.
     *
     * @return the prefixes, in the order added
     */
    public List<String> excludedPrefixes() {
        return excludedPrefixes;
    }

    /**
     * Lower-case file extensions (with the dot) treated as static assets and excluded.
     *
     * @return the extensions
     */
    public List<String> staticExtensions() {
        return staticExtensions;
    }

    /**
     * Fraction of requests that open a profile scope (profile tree, slow-request capture). Metrics
     * are recorded for every request regardless; the profiler's own sampling rate then decides
     * which trees of fast requests are kept.
     *
     * @return a rate in [0, 1]
     */
    public double profileSamplingRate() {
        return profileSamplingRate;
    }

    /**
     * Whether thread CPU time and allocated bytes are measured per request (when the JVM
     * supports it).
     *
     * @return true to measure
     */
    public boolean threadUsage() {
        return threadUsage;
    }

    /**
     * Fraction of requests whose thread CPU time is measured (when {@link #threadUsage()} is on).
     * Reading a thread's CPU clock is a system call on Linux (0.5–1 µs on a virtual machine, two per
     * request, and more under a busy server's scheduling: measured at several percent of a hello-world
     * request's cost even when only one request in 20 read it), so by default one request in 100 is
     * measured: {@code perfkit.http.server.request.cpu} then holds a sample of the requests, which
     * gives the same mean and percentiles at steady load. Allocated bytes cost about 20 ns to read
     * and are measured for every request.
     *
     * @return a rate in [0, 1]
     */
    public double cpuSamplingRate() {
        return cpuSamplingRate;
    }

    /**
     * Cap on requests kept in the live in-flight registry (the in-flight gauge counts all).
     *
     * @return the cap, at least 1
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    @Override
    public String toString() {
        return "PerfFilterConfig{uriTemplateAttribute=" + uriTemplateAttribute + ", maxUriTemplates=" + maxUriTemplates
                + ", requestIdHeader=" + requestIdHeader + ", mdcKey=" + mdcKey + ", monitoringPath=" + monitoringPath
                + ", excludedPrefixes=" + excludedPrefixes + ", staticExtensions=" + staticExtensions
                + ", profileSamplingRate=" + profileSamplingRate + ", threadUsage=" + threadUsage
                + ", cpuSamplingRate=" + cpuSamplingRate
                + ", maxInFlight=" + maxInFlight + '}';
    }

    /** Builder of {@link PerfFilterConfig}; not thread-safe. */
    public static final class Builder {
        private @Nullable String uriTemplateAttribute;
        private int maxUriTemplates = DEFAULT_MAX_URI_TEMPLATES;
        private String requestIdHeader = DEFAULT_REQUEST_ID_HEADER;
        private String mdcKey = DEFAULT_MDC_KEY;
        private String monitoringPath = DEFAULT_MONITORING_PATH;
        private final List<String> excludedPrefixes = new ArrayList<>();
        private final List<String> staticExtensions = new ArrayList<>(DEFAULT_STATIC_EXTENSIONS);
        private double profileSamplingRate = 1.0;
        private boolean threadUsage = true;
        private double cpuSamplingRate = DEFAULT_CPU_SAMPLING_RATE;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

        private Builder() {}

        /**
         * Sets the request attribute holding the framework's URI pattern.
         *
         * @param name attribute name, or {@code null} for none
         * @return this builder
         */
        public Builder uriTemplateAttribute(@Nullable String name) {
            this.uriTemplateAttribute = name;
            return this;
        }

        /**
         * Sets the cap on distinct URI templates.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxUriTemplates(int max) {
            this.maxUriTemplates = max;
            return this;
        }

        /**
         * Sets the request-id header name.
         *
         * @param header 1..64 letters, digits or dashes
         * @return this builder
         */
        public Builder requestIdHeader(String header) {
            this.requestIdHeader = Objects.requireNonNull(header, "requestIdHeader");
            return this;
        }

        /**
         * Sets the MDC key of the request id.
         *
         * @param key 1..64 of {@code [A-Za-z0-9._-]}
         * @return this builder
         */
        public Builder mdcKey(String key) {
            this.mdcKey = Objects.requireNonNull(key, "mdcKey");
            return this;
        }

        /**
         * Sets the monitoring base path excluded from metrics.
         *
         * @param path starts with {@code /}; a trailing slash is removed
         * @return this builder
         */
        public Builder monitoringPath(String path) {
            this.monitoringPath = Objects.requireNonNull(path, "monitoringPath");
            return this;
        }

        /**
         * Excludes a path prefix (relative to the context path) from monitoring.
         *
         * @param prefix starts with {@code /}
         * @return this builder
         */
        public Builder exclude(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (!prefix.startsWith("/")) {
                throw new IllegalArgumentException("exclude: prefix must start with '/', was '" + prefix + "'");
            }
            excludedPrefixes.add(prefix.toLowerCase(Locale.ROOT));
            return this;
        }

        /**
         * Replaces the static-asset extensions.
         *
         * @param extensions extensions such as {@code .css}; empty to exclude none
         * @return this builder
         */
        public Builder staticExtensions(List<String> extensions) {
            Objects.requireNonNull(extensions, "staticExtensions");
            staticExtensions.clear();
            for (String e : extensions) {
                Objects.requireNonNull(e, "staticExtensions element");
                if (!e.startsWith(".") || e.length() < 2) {
                    throw new IllegalArgumentException("staticExtensions: '" + e + "' must look like '.css'");
                }
                staticExtensions.add(e.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /**
         * Sets the fraction of requests that open a profile scope.
         *
         * @param rate in [0, 1]
         * @return this builder
         */
        public Builder profileSamplingRate(double rate) {
            this.profileSamplingRate = rate;
            return this;
        }

        /**
         * Turns thread CPU time and allocation measurement on or off.
         *
         * @param enabled true to measure
         * @return this builder
         */
        public Builder threadUsage(boolean enabled) {
            this.threadUsage = enabled;
            return this;
        }

        /**
         * Sets the fraction of requests whose thread CPU time is measured.
         *
         * @param rate in [0, 1]; 1 measures every request
         * @return this builder
         */
        public Builder cpuSamplingRate(double rate) {
            this.cpuSamplingRate = rate;
            return this;
        }

        /**
         * Sets the cap on requests kept in the in-flight registry.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxInFlight(int max) {
            this.maxInFlight = max;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first invalid field
         */
        public PerfFilterConfig build() {
            if (uriTemplateAttribute != null && uriTemplateAttribute.isBlank()) {
                throw new IllegalArgumentException("uriTemplateAttribute must not be blank (use null for none)");
            }
            if (maxUriTemplates < 1 || maxUriTemplates > 100_000) {
                throw new IllegalArgumentException("maxUriTemplates must be in [1, 100000], was " + maxUriTemplates);
            }
            if (!HEADER_NAME.matcher(requestIdHeader).matches()) {
                throw new IllegalArgumentException("requestIdHeader must match " + HEADER_NAME + ", was '"
                        + requestIdHeader + "'");
            }
            if (!MDC_KEY.matcher(mdcKey).matches()) {
                throw new IllegalArgumentException("mdcKey must match " + MDC_KEY + ", was '" + mdcKey + "'");
            }
            if (!monitoringPath.startsWith("/") || monitoringPath.length() > 256) {
                throw new IllegalArgumentException("monitoringPath must start with '/', was '" + monitoringPath + "'");
            }
            while (monitoringPath.length() > 1 && monitoringPath.endsWith("/")) {
                monitoringPath = monitoringPath.substring(0, monitoringPath.length() - 1);
            }
            monitoringPath = monitoringPath.toLowerCase(Locale.ROOT);
            if (!(profileSamplingRate >= 0.0 && profileSamplingRate <= 1.0)) {
                throw new IllegalArgumentException("profileSamplingRate must be in [0, 1], was " + profileSamplingRate);
            }
            if (!(cpuSamplingRate >= 0.0 && cpuSamplingRate <= 1.0)) {
                throw new IllegalArgumentException("cpuSamplingRate must be in [0, 1], was " + cpuSamplingRate);
            }
            if (maxInFlight < 1 || maxInFlight > 1_000_000) {
                throw new IllegalArgumentException("maxInFlight must be in [1, 1000000], was " + maxInFlight);
            }
            return new PerfFilterConfig(this);
        }
    }
}
