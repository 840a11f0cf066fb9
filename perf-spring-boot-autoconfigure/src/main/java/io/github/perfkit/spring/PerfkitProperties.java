package io.github.perfkit.spring;

import io.github.perfkit.core.findings.DiagnosisConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Perfkit's Spring Boot properties ({@code perfkit.*}). Every setter validates its value and throws
 * {@link IllegalArgumentException} for a wrong one, so a bad value fails startup with a message naming the
 * property.
 *
 * <p>Not thread-safe: bound once at startup, read afterwards.
 */
@ConfigurationProperties("perfkit")
public class PerfkitProperties {

    /** Whether Perfkit is auto-configured at all. */
    private boolean enabled = true;

    /** Period of the collection tick (drains trackers, refreshes collectors, samples the history); at least 100ms. */
    private Duration tickInterval = Duration.ofSeconds(1);

    /** Whether to bind the OSHI system metrics (CPU, memory, disk). */
    private boolean systemMetrics = true;

    /** Whether to bind the JVM metrics (heap, GC, threads). */
    private boolean jvmMetrics = true;

    private final Diagnosis diagnosis = new Diagnosis();
    private final Servlet servlet = new Servlet();
    private final Timed timed = new Timed();
    private final Alerts alerts = new Alerts();
    private final Cache cache = new Cache();
    private final Jdbc jdbc = new Jdbc();
    private final Health health = new Health();
    private final Metrics metrics = new Metrics();

    /** @return whether Perfkit is auto-configured */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether Perfkit is auto-configured */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the collection tick period */
    public Duration getTickInterval() {
        return tickInterval;
    }

    /**
     * @param tickInterval the collection tick period, at least 100ms
     * @throws IllegalArgumentException if shorter than 100ms
     */
    public void setTickInterval(Duration tickInterval) {
        Objects.requireNonNull(tickInterval, "tickInterval");
        if (tickInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("perfkit.tick-interval must be at least 100ms, was " + tickInterval);
        }
        this.tickInterval = tickInterval;
    }

    /** @return whether the system metrics are bound */
    public boolean isSystemMetrics() {
        return systemMetrics;
    }

    /** @param systemMetrics whether the system metrics are bound */
    public void setSystemMetrics(boolean systemMetrics) {
        this.systemMetrics = systemMetrics;
    }

    /** @return whether the JVM metrics are bound */
    public boolean isJvmMetrics() {
        return jvmMetrics;
    }

    /** @param jvmMetrics whether the JVM metrics are bound */
    public void setJvmMetrics(boolean jvmMetrics) {
        this.jvmMetrics = jvmMetrics;
    }

    /** @return the continuous diagnosis properties */
    public Diagnosis getDiagnosis() {
        return diagnosis;
    }

    /** @return the servlet filter and endpoints properties */
    public Servlet getServlet() {
        return servlet;
    }

    /** @return the {@code @Timed} properties */
    public Timed getTimed() {
        return timed;
    }

    /** @return the alerts properties */
    public Alerts getAlerts() {
        return alerts;
    }

    /** @return the cache properties */
    public Cache getCache() {
        return cache;
    }

    /** @return the Actuator health properties */
    public Health getHealth() {
        return health;
    }

    /** @return the JDBC properties */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /** @return the meter registry properties */
    public Metrics getMetrics() {
        return metrics;
    }

    static Duration positive(String property, Duration value) {
        Objects.requireNonNull(value, property);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, was " + value);
        }
        return value;
    }

    /** Continuous diagnosis ({@code perfkit.diagnosis.*}). Not thread-safe: bound once at startup. */
    public static class Diagnosis {
        /** Whether the continuous diagnosis runs on a live JFR stream (about 1 % overhead). */
        private boolean enabled = true;

        /** @return whether the continuous diagnosis runs */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the continuous diagnosis runs */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** Analysis window (1s to 10min; null: the library default, 15s). */
        private @Nullable Duration window;

        /** Consecutive windows a CPU, allocation or lock finding must persist before it is reported (1 to 100). */
        private @Nullable Integer persistenceWindows;

        /** Windows learned as the baseline before anything is judged (0 to 100). */
        private @Nullable Integer learningWindows;

        /** Windows of steady thread-count growth before a thread leak is reported (2 to 100). */
        private @Nullable Integer threadLeakWindows;

        /** Minimum thread-count growth over those windows for a thread leak (1 to 100000). */
        private @Nullable Integer threadLeakMinGrowth;

        /** Windows of rising heap-after-GC before a memory leak is reported (3 to 100). */
        private @Nullable Integer memoryLeakWindows;

        /** Minimum heap-after-GC growth over those windows for a memory leak, in bytes (at least 1). */
        private @Nullable Long memoryLeakMinGrowth;

        /** @return the analysis window, or null for the library default */
        public @Nullable Duration getWindow() {
            return window;
        }

        /**
         * @param window the analysis window, 1s to 10min
         * @throws IllegalArgumentException naming the property when out of range
         */
        public void setWindow(@Nullable Duration window) {
            if (window != null) {
                check("perfkit.diagnosis.window", () -> DiagnosisConfig.builder().window(window));
            }
            this.window = window;
        }

        /** @return the persistence windows, or null for the library default */
        public @Nullable Integer getPersistenceWindows() {
            return persistenceWindows;
        }

        /**
         * @param windows 1 to 100
         * @throws IllegalArgumentException naming the property when out of range
         */
        public void setPersistenceWindows(@Nullable Integer windows) {
            if (windows != null) {
                check("perfkit.diagnosis.persistence-windows", () -> DiagnosisConfig.builder().persistenceWindows(windows));
            }
            this.persistenceWindows = windows;
        }

        /** @return the learning windows, or null for the library default */
        public @Nullable Integer getLearningWindows() {
            return learningWindows;
        }

        /**
         * @param windows 0 to 100
         * @throws IllegalArgumentException naming the property when out of range
         */
        public void setLearningWindows(@Nullable Integer windows) {
            if (windows != null) {
                check("perfkit.diagnosis.learning-windows", () -> DiagnosisConfig.builder().learningWindows(windows));
            }
            this.learningWindows = windows;
        }

        /** @return the thread-leak windows, or null for the library default */
        public @Nullable Integer getThreadLeakWindows() {
            return threadLeakWindows;
        }

        /**
         * @param windows 2 to 100
         * @throws IllegalArgumentException naming the property when out of range
         */
        public void setThreadLeakWindows(@Nullable Integer windows) {
            if (windows != null) {
                check("perfkit.diagnosis.thread-leak-windows", () -> DiagnosisConfig.builder().threadLeakWindows(windows));
            }
            this.threadLeakWindows = windows;
        }

        /** @return the thread-leak minimum growth, or null for the library default */
        public @Nullable Integer getThreadLeakMinGrowth() {
            return threadLeakMinGrowth;
        }

        /**
         * @param threads 1 to 100000
         * @throws IllegalArgumentException naming the property when out of range
         */
        public void setThreadLeakMinGrowth(@Nullable Integer threads) {
            if (threads != null) {
                check("perfkit.diagnosis.thread-leak-min-growth",
                        () -> DiagnosisConfig.builder().threadLeakMinGrowth(threads));
            }
            this.threadLeakMinGrowth = threads;
        }

        /** @return the memory-leak windows, or null for the library default */
        public @Nullable Integer getMemoryLeakWindows() {
            return memoryLeakWindows;
        }

        /**
         * @param windows 3 to 100
         * @throws IllegalArgumentException naming the property when out of range
         */
        public void setMemoryLeakWindows(@Nullable Integer windows) {
            if (windows != null) {
                check("perfkit.diagnosis.memory-leak-windows", () -> DiagnosisConfig.builder().memoryLeakWindows(windows));
            }
            this.memoryLeakWindows = windows;
        }

        /** @return the memory-leak minimum growth in bytes, or null for the library default */
        public @Nullable Long getMemoryLeakMinGrowth() {
            return memoryLeakMinGrowth;
        }

        /**
         * @param bytes at least 1
         * @throws IllegalArgumentException naming the property when out of range
         */
        public void setMemoryLeakMinGrowth(@Nullable Long bytes) {
            if (bytes != null) {
                check("perfkit.diagnosis.memory-leak-min-growth", () -> DiagnosisConfig.builder().memoryLeakMinGrowth(bytes));
            }
            this.memoryLeakMinGrowth = bytes;
        }

        /**
         * The diagnosis configuration: the library defaults with every property that was set applied.
         *
         * @return the configuration
         */
        public DiagnosisConfig toConfig() {
            DiagnosisConfig.Builder b = DiagnosisConfig.builder();
            if (window != null) {
                b.window(window);
            }
            if (persistenceWindows != null) {
                b.persistenceWindows(persistenceWindows);
            }
            if (learningWindows != null) {
                b.learningWindows(learningWindows);
            }
            if (threadLeakWindows != null) {
                b.threadLeakWindows(threadLeakWindows);
            }
            if (threadLeakMinGrowth != null) {
                b.threadLeakMinGrowth(threadLeakMinGrowth);
            }
            if (memoryLeakWindows != null) {
                b.memoryLeakWindows(memoryLeakWindows);
            }
            if (memoryLeakMinGrowth != null) {
                b.memoryLeakMinGrowth(memoryLeakMinGrowth);
            }
            return b.build();
        }

        private static void check(String property, Runnable apply) {
            try {
                apply.run();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
            }
        }
    }

    /** Servlet filter and endpoints ({@code perfkit.servlet.*}). Not thread-safe: bound once at startup. */
    public static class Servlet {
        /** Whether the filter and the endpoints are registered in a servlet web application. */
        private boolean enabled = true;

        /**
         * Whether Perfkit's request filter runs even when Actuator already records http.server.requests
         * (null: only when Actuator does not).
         */
        private @Nullable Boolean filter;

        /** Base path of the endpoints and dashboard; starts with '/', not just '/'. */
        private String basePath = "/perf";

        /** Whether /health, /ready and /ping answer every client with the status alone. */
        private boolean publicProbes = true;

        /** Bearer token that opens the endpoints to non-loopback clients (at least 16 characters); none by default. */
        private @Nullable String token;

        /** Addresses of reverse proxies whose X-Forwarded-For is trusted. */
        private List<String> trustedProxies = new ArrayList<>();

        /**
         * Who may use the endpoints besides loopback clients and bearer-token holders: 'loopback' (nobody else) or
         * 'authenticated' (also any request the host's security, e.g. Spring Security, authenticated).
         */
        private Access access = Access.LOOPBACK;

        /** With access=authenticated: roles of which the user needs one (empty: any authenticated user). */
        private List<String> accessRoles = new ArrayList<>();

        /**
         * Whether Spring Security's CSRF check skips POST requests to the endpoints (Perfkit's own POST actions
         * carry their own CSRF protection); only with Spring Security on the classpath.
         */
        private boolean csrfExempt = true;

        /**
         * Cap on distinct URI templates the request filter records (1-100000); further templates are recorded as
         * OTHER. It cannot be switched off: every Perfkit series is bounded.
         */
        private int maxUriTemplates = 500;

        /**
         * Fraction of requests (0-1) whose thread CPU time the request filter measures: reading a thread's CPU clock
         * is a system call, so by default one request in 100; allocated bytes are measured for every request.
         */
        private double cpuSamplingRate = io.github.perfkit.servlet.PerfFilterConfig.DEFAULT_CPU_SAMPLING_RATE;

        /**
         * Fraction of requests (0-1) the request filter opens a profile tree for (nested tracker scopes and JDBC
         * statements then form the request's tree; slow ones are kept). 1 by default; 0 for the leanest filter.
         */
        private double profileSamplingRate = 1.0;

        /**
         * Whether the request filter measures each request's allocated bytes (and, for cpu-sampling-rate of them,
         * its CPU time) from the thread MXBean. On by default; off for the leanest filter.
         */
        private boolean threadUsage = true;

        /** Perfkit's WebSocketMonitor bean (with the Jakarta WebSocket API on the class path). */
        private final Toggle websocket = new Toggle();

        /** @return the fraction of requests whose thread CPU time is measured */
        public double getCpuSamplingRate() {
            return cpuSamplingRate;
        }

        /**
         * @param cpuSamplingRate the fraction of requests whose thread CPU time is measured, 0 to 1
         * @throws IllegalArgumentException if outside [0, 1]
         */
        public void setCpuSamplingRate(double cpuSamplingRate) {
            if (!(cpuSamplingRate >= 0 && cpuSamplingRate <= 1)) {
                throw new IllegalArgumentException("perfkit.servlet.cpu-sampling-rate must be in [0, 1], was "
                        + cpuSamplingRate);
            }
            this.cpuSamplingRate = cpuSamplingRate;
        }

        /** @return the fraction of requests that get a profile tree */
        public double getProfileSamplingRate() {
            return profileSamplingRate;
        }

        /**
         * @param profileSamplingRate the fraction of requests that get a profile tree, 0 to 1
         * @throws IllegalArgumentException if outside [0, 1]
         */
        public void setProfileSamplingRate(double profileSamplingRate) {
            if (!(profileSamplingRate >= 0 && profileSamplingRate <= 1)) {
                throw new IllegalArgumentException("perfkit.servlet.profile-sampling-rate must be in [0, 1], was "
                        + profileSamplingRate);
            }
            this.profileSamplingRate = profileSamplingRate;
        }

        /** @return whether per-request thread usage (allocated bytes, sampled CPU time) is measured */
        public boolean isThreadUsage() {
            return threadUsage;
        }

        /** @param threadUsage whether per-request thread usage is measured */
        public void setThreadUsage(boolean threadUsage) {
            this.threadUsage = threadUsage;
        }

        /** @return the WebSocket monitor switch */
        public Toggle getWebsocket() {
            return websocket;
        }

        /** @return the cap on distinct URI templates */
        public int getMaxUriTemplates() {
            return maxUriTemplates;
        }

        /**
         * @param maxUriTemplates the cap on distinct URI templates
         * @throws IllegalArgumentException if outside 1-100000
         */
        public void setMaxUriTemplates(int maxUriTemplates) {
            if (maxUriTemplates < 1 || maxUriTemplates > 100_000) {
                throw new IllegalArgumentException("perfkit.servlet.max-uri-templates must be in [1, 100000], was "
                        + maxUriTemplates);
            }
            this.maxUriTemplates = maxUriTemplates;
        }

        /** @return whether the servlet part is registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the servlet part is registered */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return whether the filter runs next to Actuator's, or null for the default */
        public @Nullable Boolean getFilter() {
            return filter;
        }

        /** @param filter whether the filter runs next to Actuator's, or null for the default */
        public void setFilter(@Nullable Boolean filter) {
            this.filter = filter;
        }

        /** @return the base path */
        public String getBasePath() {
            return basePath;
        }

        /**
         * @param basePath the base path, starting with '/'
         * @throws IllegalArgumentException if it does not start with '/', is only '/' or ends with '/'
         */
        public void setBasePath(String basePath) {
            Objects.requireNonNull(basePath, "basePath");
            if (!basePath.startsWith("/") || basePath.length() < 2 || basePath.endsWith("/")) {
                throw new IllegalArgumentException(
                        "perfkit.servlet.base-path must start with '/' and not end with it, was '" + basePath + "'");
            }
            this.basePath = basePath;
        }

        /** @return whether /health, /ready and /ping answer every client with the status alone */
        public boolean isPublicProbes() {
            return publicProbes;
        }

        /** @param publicProbes whether orchestrator probes are answered without the token (default true) */
        public void setPublicProbes(boolean publicProbes) {
            this.publicProbes = publicProbes;
        }

        /** @return the bearer token, or null */
        public @Nullable String getToken() {
            return token;
        }

        /**
         * @param token the bearer token (at least 16 characters), or null or blank for none
         * @throws IllegalArgumentException if shorter than 16 characters
         */
        public void setToken(@Nullable String token) {
            if (token != null && !token.isBlank() && token.length() < 16) {
                throw new IllegalArgumentException("perfkit.servlet.token must have at least 16 characters");
            }
            this.token = token == null || token.isBlank() ? null : token;
        }

        /** @return the trusted proxies */
        public List<String> getTrustedProxies() {
            return trustedProxies;
        }

        /** @param trustedProxies the trusted proxies */
        public void setTrustedProxies(List<String> trustedProxies) {
            this.trustedProxies = new ArrayList<>(Objects.requireNonNull(trustedProxies, "trustedProxies"));
        }

        /** @return who may use the endpoints besides loopback clients and token holders */
        public Access getAccess() {
            return access;
        }

        /** @param access who may use the endpoints besides loopback clients and token holders */
        public void setAccess(Access access) {
            this.access = Objects.requireNonNull(access, "perfkit.servlet.access");
        }

        /** @return the roles of which an authenticated user needs one (empty: any) */
        public List<String> getAccessRoles() {
            return accessRoles;
        }

        /**
         * @param accessRoles the roles of which an authenticated user needs one (empty: any)
         * @throws IllegalArgumentException if a role is blank
         */
        public void setAccessRoles(List<String> accessRoles) {
            Objects.requireNonNull(accessRoles, "perfkit.servlet.access-roles");
            for (String role : accessRoles) {
                if (role == null || role.isBlank()) {
                    throw new IllegalArgumentException("perfkit.servlet.access-roles must not contain a blank role");
                }
            }
            this.accessRoles = new ArrayList<>(accessRoles.stream().map(String::trim).toList());
        }

        /** @return whether Spring Security's CSRF check skips POST requests to the endpoints */
        public boolean isCsrfExempt() {
            return csrfExempt;
        }

        /** @param csrfExempt whether Spring Security's CSRF check skips POST requests to the endpoints */
        public void setCsrfExempt(boolean csrfExempt) {
            this.csrfExempt = csrfExempt;
        }
    }

    /** Who may use the endpoints besides loopback clients and bearer-token holders. */
    public enum Access {
        /** Nobody else (the safe default). */
        LOOPBACK,
        /** Also requests the host's security authenticated (a user principal is set, e.g. by Spring Security). */
        AUTHENTICATED
    }

    /** {@code @Timed} recording ({@code perfkit.timed.*}). Not thread-safe: bound once at startup. */
    public static class Timed {
        /** Whether methods annotated with Micrometer's @Timed are recorded into Perfkit's tracker. */
        private boolean enabled = true;

        /** @return whether {@code @Timed} is recorded */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether {@code @Timed} is recorded */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Alert engine ({@code perfkit.alerts.*}). Not thread-safe: bound once at startup. */
    public static class Alerts {
        /** Whether the alert engine runs. */
        private boolean enabled = true;

        /** Period of the rule evaluation; positive. */
        private Duration interval = Duration.ofSeconds(5);

        /** Whether Perfkit's default rule set is the base that rules-file and rules override by name. */
        private boolean defaultRules = true;

        /**
         * YAML or JSON rule file (a Spring resource location, e.g. classpath:alerts.yaml or file:/etc/app/alerts.yaml);
         * its rules replace default rules of the same name, 'enabled: false' removes one.
         */
        private @Nullable String rulesFile;

        /** Whether an alert is raised for each diagnosed finding (when the continuous diagnosis is on). */
        private boolean findings = true;

        /** Simple threshold rules; each replaces a default or file rule of the same name. */
        private List<InlineRule> rules = new ArrayList<>();

        private final Notifiers notifiers = new Notifiers();

        /** @return whether the default rule set is the base */
        public boolean isDefaultRules() {
            return defaultRules;
        }

        /** @param defaultRules whether the default rule set is the base */
        public void setDefaultRules(boolean defaultRules) {
            this.defaultRules = defaultRules;
        }

        /** @return the rule file location, or null */
        public @Nullable String getRulesFile() {
            return rulesFile;
        }

        /** @param rulesFile the rule file location, or null or blank for none */
        public void setRulesFile(@Nullable String rulesFile) {
            this.rulesFile = rulesFile == null || rulesFile.isBlank() ? null : rulesFile.trim();
        }

        /** @return whether findings raise alerts */
        public boolean isFindings() {
            return findings;
        }

        /** @param findings whether findings raise alerts */
        public void setFindings(boolean findings) {
            this.findings = findings;
        }

        /** @return the inline threshold rules */
        public List<InlineRule> getRules() {
            return rules;
        }

        /** @param rules the inline threshold rules */
        public void setRules(List<InlineRule> rules) {
            this.rules = new ArrayList<>(Objects.requireNonNull(rules, "perfkit.alerts.rules"));
        }

        /** @return the notifier properties */
        public Notifiers getNotifiers() {
            return notifiers;
        }

        /** @return whether the alert engine runs */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the alert engine runs */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the evaluation period */
        public Duration getInterval() {
            return interval;
        }

        /**
         * @param interval the evaluation period
         * @throws IllegalArgumentException if not positive
         */
        public void setInterval(Duration interval) {
            this.interval = positive("perfkit.alerts.interval", interval);
        }
    }

    /**
     * A simple threshold rule ({@code perfkit.alerts.rules[n].*}); validated by perf-alerts' rule loader, whose
     * message names the rule and the field. Not thread-safe: bound once at startup.
     */
    public static class InlineRule {
        /** Rule name (unique; replaces a default or file rule of the same name). */
        private @Nullable String name;

        /** Metric name in the history, e.g. perfkit.jvm.threads.live. */
        private @Nullable String metric;

        /** Comparison: >, >=, < or <=. */
        private String comparison = ">";

        /** Threshold the aggregated value is compared with. */
        private @Nullable Double threshold;

        /** Threshold at which a firing alert resolves (hysteresis); default: the threshold. */
        private @Nullable Double resolveThreshold;

        /** Aggregation over the window: last, avg, min, max, rate or pNN. */
        private @Nullable String aggregation;

        /** Window of the aggregation, e.g. 1m. */
        private @Nullable String window;

        /** How long the condition must hold before the alert fires, e.g. 2m. */
        private @Nullable String forDuration;

        /** Level: info, warning, high or critical. */
        private @Nullable String level;

        /** Tags the metric's series must have. */
        private Map<String, String> tags = new LinkedHashMap<>();

        /** Whether the rule is on; false removes a default or file rule of the same name. */
        private boolean enabled = true;

        /** @return the name */
        public @Nullable String getName() {
            return name;
        }

        /** @param name the name */
        public void setName(@Nullable String name) {
            this.name = name;
        }

        /** @return the metric */
        public @Nullable String getMetric() {
            return metric;
        }

        /** @param metric the metric */
        public void setMetric(@Nullable String metric) {
            this.metric = metric;
        }

        /** @return the comparison */
        public String getComparison() {
            return comparison;
        }

        /** @param comparison the comparison */
        public void setComparison(String comparison) {
            this.comparison = Objects.requireNonNull(comparison, "comparison");
        }

        /** @return the threshold */
        public @Nullable Double getThreshold() {
            return threshold;
        }

        /** @param threshold the threshold */
        public void setThreshold(@Nullable Double threshold) {
            this.threshold = threshold;
        }

        /** @return the resolve threshold, or null */
        public @Nullable Double getResolveThreshold() {
            return resolveThreshold;
        }

        /** @param resolveThreshold the resolve threshold, or null */
        public void setResolveThreshold(@Nullable Double resolveThreshold) {
            this.resolveThreshold = resolveThreshold;
        }

        /** @return the aggregation, or null for the loader's default */
        public @Nullable String getAggregation() {
            return aggregation;
        }

        /** @param aggregation the aggregation */
        public void setAggregation(@Nullable String aggregation) {
            this.aggregation = aggregation;
        }

        /** @return the window, or null for the loader's default */
        public @Nullable String getWindow() {
            return window;
        }

        /** @param window the window */
        public void setWindow(@Nullable String window) {
            this.window = window;
        }

        /** @return the for-duration, or null for none */
        public @Nullable String getForDuration() {
            return forDuration;
        }

        /** @param forDuration the for-duration */
        public void setForDuration(@Nullable String forDuration) {
            this.forDuration = forDuration;
        }

        /** @return the level, or null for the loader's default */
        public @Nullable String getLevel() {
            return level;
        }

        /** @param level the level */
        public void setLevel(@Nullable String level) {
            this.level = level;
        }

        /** @return the tags */
        public Map<String, String> getTags() {
            return tags;
        }

        /** @param tags the tags */
        public void setTags(Map<String, String> tags) {
            this.tags = new LinkedHashMap<>(Objects.requireNonNull(tags, "tags"));
        }

        /** @return whether the rule is on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the rule is on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Alert notifiers ({@code perfkit.alerts.notifiers.*}). Not thread-safe: bound once at startup. */
    public static class Notifiers {
        private final Toggle log = new Toggle();
        private final Webhook webhook = new Webhook();
        private final Email email = new Email();

        /** @return the log notifier switch (on by default) */
        public Toggle getLog() {
            return log;
        }

        /** @return the webhook notifier properties */
        public Webhook getWebhook() {
            return webhook;
        }

        /** @return the email notifier properties */
        public Email getEmail() {
            return email;
        }
    }

    /** Webhook notifier ({@code perfkit.alerts.notifiers.webhook.*}). Not thread-safe: bound once at startup. */
    public static class Webhook {
        /** Endpoint (http or https); the webhook notifier is on when set. */
        private @Nullable String url;

        /** Payload format: json (Perfkit's) or slack (Slack incoming webhook). */
        private String format = "json";

        /** Extra request headers (e.g. an API key). */
        private Map<String, String> headers = new LinkedHashMap<>();

        /** Whether loopback, private and link-local targets are allowed (refused by default against SSRF). */
        private boolean allowPrivateTargets;

        /** @return the endpoint, or null */
        public @Nullable String getUrl() {
            return url;
        }

        /** @param url the endpoint, or null or blank for none */
        public void setUrl(@Nullable String url) {
            this.url = url == null || url.isBlank() ? null : url.trim();
        }

        /** @return the format */
        public String getFormat() {
            return format;
        }

        /**
         * @param format json or slack
         * @throws IllegalArgumentException for another value
         */
        public void setFormat(String format) {
            String f = Objects.requireNonNull(format, "perfkit.alerts.notifiers.webhook.format").trim()
                    .toLowerCase(Locale.ROOT);
            if (!f.equals("json") && !f.equals("slack")) {
                throw new IllegalArgumentException(
                        "perfkit.alerts.notifiers.webhook.format must be json or slack, was '" + format + "'");
            }
            this.format = f;
        }

        /** @return the extra headers */
        public Map<String, String> getHeaders() {
            return headers;
        }

        /** @param headers the extra headers */
        public void setHeaders(Map<String, String> headers) {
            this.headers = new LinkedHashMap<>(Objects.requireNonNull(headers, "headers"));
        }

        /** @return whether private targets are allowed */
        public boolean isAllowPrivateTargets() {
            return allowPrivateTargets;
        }

        /** @param allowPrivateTargets whether private targets are allowed */
        public void setAllowPrivateTargets(boolean allowPrivateTargets) {
            this.allowPrivateTargets = allowPrivateTargets;
        }
    }

    /**
     * Email notifier ({@code perfkit.alerts.notifiers.email.*}); the password is never logged. Not thread-safe:
     * bound once at startup.
     */
    public static class Email {
        /** SMTP host; the email notifier is on when set. */
        private @Nullable String host;

        /** SMTP port. */
        private int port = 587;

        /** Sender address. */
        private @Nullable String from;

        /** Recipient addresses. */
        private List<String> to = new ArrayList<>();

        /** SMTP user name (credentials are only sent inside TLS). */
        private @Nullable String username;

        /** SMTP password (never logged). */
        private @Nullable String password;

        /** Whether STARTTLS is required (refusing to send in clear text). */
        private boolean requireStartTls = true;

        /** Prefix of the subject line. */
        private String subjectPrefix = "[perfkit] ";

        /** @return the SMTP host, or null */
        public @Nullable String getHost() {
            return host;
        }

        /** @param host the SMTP host, or null or blank for none */
        public void setHost(@Nullable String host) {
            this.host = host == null || host.isBlank() ? null : host.trim();
        }

        /** @return the port */
        public int getPort() {
            return port;
        }

        /**
         * @param port the port
         * @throws IllegalArgumentException if not in [1, 65535]
         */
        public void setPort(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("perfkit.alerts.notifiers.email.port must be in [1, 65535], was "
                        + port);
            }
            this.port = port;
        }

        /** @return the sender, or null */
        public @Nullable String getFrom() {
            return from;
        }

        /** @param from the sender */
        public void setFrom(@Nullable String from) {
            this.from = from;
        }

        /** @return the recipients */
        public List<String> getTo() {
            return to;
        }

        /** @param to the recipients */
        public void setTo(List<String> to) {
            this.to = new ArrayList<>(Objects.requireNonNull(to, "to"));
        }

        /** @return the user name, or null */
        public @Nullable String getUsername() {
            return username;
        }

        /** @param username the user name */
        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        /** @return the password, or null */
        public @Nullable String getPassword() {
            return password;
        }

        /** @param password the password */
        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        /** @return whether STARTTLS is required */
        public boolean isRequireStartTls() {
            return requireStartTls;
        }

        /** @param requireStartTls whether STARTTLS is required */
        public void setRequireStartTls(boolean requireStartTls) {
            this.requireStartTls = requireStartTls;
        }

        /** @return the subject prefix */
        public String getSubjectPrefix() {
            return subjectPrefix;
        }

        /** @param subjectPrefix the subject prefix */
        public void setSubjectPrefix(String subjectPrefix) {
            this.subjectPrefix = Objects.requireNonNull(subjectPrefix, "subjectPrefix");
        }

        @Override
        public String toString() {
            return "Email[" + host + ":" + port + ", from " + from + ", to " + to + ", user " + username
                    + ", password " + (password == null ? "none" : "***") + "]";
        }
    }

    /** Multilevel cache ({@code perfkit.cache.*}). Not thread-safe: bound once at startup. */
    public static class Cache {
        /** Whether Perfkit's CacheManager is created. */
        private boolean enabled = true;

        /** Prefix of the keys and channels in Redis. */
        private String keyPrefix = "perfkit";

        private final Redis redis = new Redis();
        private final Toggle annotations = new Toggle();
        private final SpringCaches spring = new SpringCaches();

        /** @return whether the cache manager is created */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the cache manager is created */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the key prefix */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /**
         * @param keyPrefix the key prefix
         * @throws IllegalArgumentException if blank
         */
        public void setKeyPrefix(String keyPrefix) {
            if (keyPrefix == null || keyPrefix.isBlank()) {
                throw new IllegalArgumentException("perfkit.cache.key-prefix must not be blank");
            }
            this.keyPrefix = keyPrefix;
        }

        /** @return the Redis tier properties */
        public Redis getRedis() {
            return redis;
        }

        /** @return whether {@code @Cached}/{@code @CacheInvalidate} are applied to Spring beans (needs AspectJ) */
        public Toggle getAnnotations() {
            return annotations;
        }

        /** @return the Spring {@code CacheManager} adapter properties (for {@code @Cacheable}) */
        public SpringCaches getSpring() {
            return spring;
        }
    }

    /**
     * Spring {@code CacheManager} adapter ({@code perfkit.cache.spring.*}). Not thread-safe: bound once at startup.
     */
    public static class SpringCaches {
        /** Whether a Spring CacheManager over Perfkit's caches is defined (for @Cacheable/@CacheEvict). */
        private boolean enabled = true;

        /**
         * Value classes (fully qualified) that Spring caches may also store in Redis, as JSON; String, Long, Integer,
         * Double and Boolean always may. Values of other classes stay in L1.
         */
        private List<String> valueTypes = new ArrayList<>();

        /** @return whether the Spring cache manager is defined */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the Spring cache manager is defined */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the value classes Spring caches may store in Redis */
        public List<String> getValueTypes() {
            return valueTypes;
        }

        /**
         * @param valueTypes the value classes (fully qualified names) Spring caches may store in Redis
         * @throws IllegalArgumentException if a name is blank
         */
        public void setValueTypes(List<String> valueTypes) {
            Objects.requireNonNull(valueTypes, "perfkit.cache.spring.value-types");
            for (String type : valueTypes) {
                if (type == null || type.isBlank()) {
                    throw new IllegalArgumentException("perfkit.cache.spring.value-types must not contain a blank name");
                }
            }
            this.valueTypes = new ArrayList<>(valueTypes.stream().map(String::trim).toList());
        }
    }

    /** Redis tier of the cache ({@code perfkit.cache.redis.*}). Not thread-safe: bound once at startup. */
    public static class Redis {
        /**
         * Redis URI (redis://host:port, rediss:// for TLS with the JVM's trust store, or
         * redis-sentinel://[password@]host:port[,host2:port2][/db]#master for Sentinel); the Redis tier is on when
         * set, or, when not set, when Spring Data Redis's connection (spring.data.redis.*) is configured.
         */
        private @Nullable String url;

        /** Whether to reuse Spring Data Redis's connection settings (spring.data.redis.*) when url is not set. */
        private boolean reuseSpringData = true;

        /** @return whether Spring Data Redis's settings are reused when no URL is set */
        public boolean isReuseSpringData() {
            return reuseSpringData;
        }

        /** @param reuseSpringData whether Spring Data Redis's settings are reused when no URL is set */
        public void setReuseSpringData(boolean reuseSpringData) {
            this.reuseSpringData = reuseSpringData;
        }

        /** Timeout of one Redis command; positive. */
        private Duration commandTimeout = Duration.ofMillis(50);

        /** @return the Redis URI, or null */
        public @Nullable String getUrl() {
            return url;
        }

        /**
         * @param url the Redis URI, or null or blank for none
         * @throws IllegalArgumentException if not a redis://, rediss://, redis-sentinel:// or rediss-sentinel:// URI
         */
        public void setUrl(@Nullable String url) {
            if (url != null && !url.isBlank() && !url.startsWith("redis://") && !url.startsWith("rediss://")
                    && !url.startsWith("redis-sentinel://") && !url.startsWith("rediss-sentinel://")) {
                throw new IllegalArgumentException("perfkit.cache.redis.url must start with redis://, rediss://, "
                        + "redis-sentinel:// or rediss-sentinel://");
            }
            this.url = url == null || url.isBlank() ? null : url;
        }

        /** @return the command timeout */
        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        /**
         * @param commandTimeout the command timeout
         * @throws IllegalArgumentException if not positive
         */
        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = positive("perfkit.cache.redis.command-timeout", commandTimeout);
        }

        /**
         * Name of an SSL bundle (spring.ssl.bundle.*) whose trust material, key and options the tier uses with a
         * rediss:// or rediss-sentinel:// url; without it, TLS uses the JVM's default trust store.
         */
        private @Nullable String sslBundle;

        /** User name of the Sentinel nodes themselves, with a redis-sentinel:// url. */
        private @Nullable String sentinelUsername;

        /** Password of the Sentinel nodes themselves, with a redis-sentinel:// url (the data node's is in the url). */
        private @Nullable String sentinelPassword;

        /** @return the SSL bundle's name, or null */
        public @Nullable String getSslBundle() {
            return sslBundle;
        }

        /** @param sslBundle the SSL bundle's name, or null or blank for none */
        public void setSslBundle(@Nullable String sslBundle) {
            this.sslBundle = sslBundle == null || sslBundle.isBlank() ? null : sslBundle.trim();
        }

        /** @return the Sentinel nodes' user name, or null */
        public @Nullable String getSentinelUsername() {
            return sentinelUsername;
        }

        /** @param sentinelUsername the Sentinel nodes' user name, or null */
        public void setSentinelUsername(@Nullable String sentinelUsername) {
            this.sentinelUsername = sentinelUsername == null || sentinelUsername.isBlank() ? null : sentinelUsername;
        }

        /** @return the Sentinel nodes' password, or null */
        public @Nullable String getSentinelPassword() {
            return sentinelPassword;
        }

        /** @param sentinelPassword the Sentinel nodes' password, or null */
        public void setSentinelPassword(@Nullable String sentinelPassword) {
            this.sentinelPassword = sentinelPassword == null || sentinelPassword.isEmpty() ? null : sentinelPassword;
        }
    }

    /** Data source monitoring ({@code perfkit.jdbc.*}). Not thread-safe: bound once at startup. */
    public static class Jdbc {
        /** Whether every DataSource bean is wrapped for statement timing, slow statements and N+1 detection. */
        private boolean enabled = true;

        /** @return whether data sources are wrapped */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether data sources are wrapped */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Actuator health ({@code perfkit.health.*}). Not thread-safe: bound once at startup. */
    public static class Health {
        /** Whether Perfkit's health checks are exposed as the Actuator health component 'perfkit'. */
        private boolean enabled = true;

        private final SpringHealth spring = new SpringHealth();

        /** @return the Spring → Perfkit health properties */
        public SpringHealth getSpring() {
            return spring;
        }

        /** @return whether the health indicator is registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the health indicator is registered */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * Spring's health contributors as Perfkit checks ({@code perfkit.health.spring.*}). Not thread-safe: bound once
     * at startup.
     */
    public static class SpringHealth {
        /** Whether each Spring health contributor becomes a Perfkit readiness check named spring.<name>. */
        private boolean enabled = true;

        /** Timeout of one bridged check; positive. */
        private Duration timeout = Duration.ofSeconds(2);

        /**
         * How often Spring's contributor registry is re-read, so contributors registered (or removed) after start-up
         * are bridged (or dropped) too; at least 100ms.
         */
        private Duration refreshInterval = Duration.ofSeconds(10);

        /** @return whether Spring's contributors are bridged */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether Spring's contributors are bridged */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the timeout of one bridged check */
        public Duration getTimeout() {
            return timeout;
        }

        /**
         * @param timeout the timeout of one bridged check
         * @throws IllegalArgumentException if not positive
         */
        public void setTimeout(Duration timeout) {
            this.timeout = positive("perfkit.health.spring.timeout", timeout);
        }

        /** @return how often Spring's contributor registry is re-read */
        public Duration getRefreshInterval() {
            return refreshInterval;
        }

        /**
         * @param refreshInterval how often Spring's contributor registry is re-read
         * @throws IllegalArgumentException if under 100ms
         */
        public void setRefreshInterval(Duration refreshInterval) {
            Objects.requireNonNull(refreshInterval, "perfkit.health.spring.refresh-interval");
            if (refreshInterval.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("perfkit.health.spring.refresh-interval must be at least 100ms, was "
                        + refreshInterval);
            }
            this.refreshInterval = refreshInterval;
        }
    }

    /** The application's meter registry ({@code perfkit.metrics.*}). Not thread-safe: bound once at startup. */
    public static class Metrics {
        private final CardinalityGuardProperties cardinalityGuard = new CardinalityGuardProperties();

        /** @return the cardinality guard properties */
        public CardinalityGuardProperties getCardinalityGuard() {
            return cardinalityGuard;
        }
    }

    /**
     * The cardinality guard Perfkit installs on the application's meter registry
     * ({@code perfkit.metrics.cardinality-guard.*}): per meter name, tag sets beyond the cap are folded into one
     * overflow series (Perfkit's own perfkit.* meters are exempt: they have their own caps). Not thread-safe: bound
     * once at startup.
     */
    public static class CardinalityGuardProperties {
        /**
         * Whether Perfkit caps the series per meter name of the application's registry (e.g. Actuator's
         * http.server.requests by uri); off leaves that to the application (management.metrics.web.server.max-uri-tags).
         */
        private boolean enabled = true;

        /** Distinct tag sets per meter name that keep their own series (1-100000). */
        private int maxSeriesPerName = 500;

        /** @return whether the guard is installed */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the guard is installed */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return distinct tag sets per meter name that keep their own series */
        public int getMaxSeriesPerName() {
            return maxSeriesPerName;
        }

        /**
         * @param maxSeriesPerName distinct tag sets per meter name that keep their own series
         * @throws IllegalArgumentException if outside 1-100000
         */
        public void setMaxSeriesPerName(int maxSeriesPerName) {
            if (maxSeriesPerName < 1 || maxSeriesPerName > 100_000) {
                throw new IllegalArgumentException(
                        "perfkit.metrics.cardinality-guard.max-series-per-name must be in [1, 100000], was "
                                + maxSeriesPerName);
            }
            this.maxSeriesPerName = maxSeriesPerName;
        }
    }

    /** An on/off switch ({@code ...enabled}). Not thread-safe: bound once at startup. */
    public static class Toggle {
        /** Whether the part is on. */
        private boolean enabled = true;

        /** @return whether the part is on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the part is on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
