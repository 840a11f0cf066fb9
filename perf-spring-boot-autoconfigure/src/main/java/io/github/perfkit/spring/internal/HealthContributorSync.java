package io.github.perfkit.spring.internal;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.health.HealthReport;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.core.health.HealthStatus;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the health bridging that does not depend on Spring Boot's health API, shared by the Boot 3
 * ({@link SpringHealthBridge}, {@link PerfkitHealthIndicator}) and Boot 4 ({@code internal.boot4}) classes, whose
 * Spring types differ only in their packages. Spring → Perfkit: keeps one Perfkit readiness check
 * {@code spring.<contributor>} per contributor of a {@link Source} (at most {@value #MAX_BRIDGED}), re-reading the
 * source every refresh interval on a daemon thread so contributors registered later are bridged and removed ones
 * dropped. Perfkit → Spring: {@link #overall(HealthReport)} and {@link #details(HealthReport)} summarise Perfkit's
 * report without the {@code spring.*} checks (Actuator reports those itself, so nothing loops or shows twice).
 *
 * <p>Thread-safe: synchronisation with the source is serialised; the checks are run by Perfkit's health registry.
 */
public final class HealthContributorSync implements AutoCloseable {

    /** Prefix of the bridged checks' names. */
    public static final String PREFIX = "spring.";
    /** Bound on bridged contributors. */
    public static final int MAX_BRIDGED = 64;

    private static final Logger LOG = LoggerFactory.getLogger(HealthContributorSync.class);

    /**
     * Spring's contributor registry, seen through the one thing the bridge needs of it. Implementations never throw
     * from {@link #check(String)}.
     */
    public interface Source {

        /**
         * The names of the registry's contributors now, Perfkit's own indicator left out.
         *
         * @return the names
         */
        List<String> names();

        /**
         * Asks the contributor of that name, as it is registered now (a composite is its worst member).
         *
         * @param springName the contributor's name in Spring's registry
         * @return its health as a Perfkit result
         */
        HealthResult check(String springName);
    }

    private final Perf perf;
    private final Duration timeout;
    private final Duration refreshInterval;
    /** Perfkit check name → Spring contributor name, of the checks this bridge registered. */
    private final Map<String, String> registered = new LinkedHashMap<>();
    private final Set<String> refused = new HashSet<>();
    private @Nullable ScheduledExecutorService refresher;
    private boolean closed;

    /**
     * A sync that has not read any source yet.
     *
     * @param perf the hub whose health registry receives the checks
     * @param timeout timeout of each bridged check
     * @param refreshInterval how often the source is re-read, positive
     * @throws IllegalArgumentException if the refresh interval is not positive
     */
    public HealthContributorSync(Perf perf, Duration timeout, Duration refreshInterval) {
        this.perf = Objects.requireNonNull(perf, "perf");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive, was " + refreshInterval);
        }
    }

    /**
     * Bridges the source's contributors now, then re-reads the source every refresh interval until closed. A second
     * call, or one after {@link #close()}, only re-reads once. Never throws.
     *
     * @param source Spring's registry
     */
    public void start(Source source) {
        Objects.requireNonNull(source, "source");
        refresh(source);
        LOG.debug("Perfkit: bridged Spring health contributors {}", registered());
        synchronized (this) {
            if (closed || refresher != null) {
                return;
            }
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "perfkit-spring-health-refresh");
                t.setDaemon(true);
                return t;
            });
            long millis = refreshInterval.toMillis();
            executor.scheduleWithFixedDelay(() -> refresh(source), millis, millis, TimeUnit.MILLISECONDS);
            refresher = executor;
        }
    }

    /**
     * Re-reads the source now: bridges contributors not bridged yet, drops the bridged ones the source no longer
     * has. Never throws.
     *
     * @param source Spring's registry
     */
    public synchronized void refresh(Source source) {
        if (closed) {
            return;
        }
        try {
            Set<String> present = new HashSet<>();
            for (String springName : source.names()) {
                String name = checkName(springName);
                present.add(name);
                if (registered.containsKey(name) || refused.contains(name)) {
                    continue;
                }
                if (registered.size() >= MAX_BRIDGED) {
                    refused.add(name);
                    LOG.info("Perfkit: Spring health contributor '{}' not bridged: at most {} are", springName,
                            MAX_BRIDGED);
                    continue;
                }
                try {
                    perf.health().register(name, () -> source.check(springName), timeout, HealthGroup.READINESS);
                    registered.put(name, springName);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    refused.add(name);
                    LOG.info("Perfkit: Spring health contributor '{}' not bridged: {}", springName, e.getMessage());
                }
            }
            for (Iterator<Map.Entry<String, String>> it = registered.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, String> e = it.next();
                if (!present.contains(e.getKey())) {
                    perf.health().unregister(e.getKey());
                    it.remove();
                    LOG.debug("Perfkit: Spring health contributor '{}' is gone; its check is dropped", e.getValue());
                }
            }
            refused.retainAll(present);
        } catch (RuntimeException e) {
            LOG.debug("Perfkit: re-reading Spring's health contributors failed", e);
        }
    }

    /**
     * The bridged checks.
     *
     * @return the names of the bridged checks, in bridging order
     */
    public synchronized List<String> registered() {
        return List.copyOf(registered.keySet());
    }

    /** Stops re-reading the source; the bridged checks stay registered. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService executor;
        synchronized (this) {
            closed = true;
            executor = refresher;
            refresher = null;
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * The Perfkit check name of a Spring contributor: {@code spring.} + the name, characters other than letters,
     * digits, {@code . _ -} replaced by {@code _}, at most 64 characters.
     *
     * @param springName the contributor's name in Spring's registry
     * @return the check name
     */
    public static String checkName(String springName) {
        StringBuilder b = new StringBuilder(PREFIX);
        for (int i = 0; i < springName.length() && b.length() < 64; i++) {
            char c = springName.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    /**
     * The Perfkit result of a Spring status: DOWN and OUT_OF_SERVICE → DOWN, {@code DEGRADED} → DEGRADED, UP,
     * UNKNOWN and other codes → UP; the message is the code, then {@code ": "} and the {@code error} detail if any.
     *
     * @param code the Spring status code
     * @param error the health's {@code error} detail, or null
     * @return the result
     */
    public static HealthResult result(String code, @Nullable Object error) {
        String message = error == null ? code : code + ": " + error;
        return switch (code) {
            case "DOWN", "OUT_OF_SERVICE" -> HealthResult.down(message);
            case "DEGRADED" -> HealthResult.degraded(message);
            default -> HealthResult.up(message);
        };
    }

    /**
     * Ranks Spring status codes for a composite's worst member: DOWN 3, OUT_OF_SERVICE 2, DEGRADED 1, others 0.
     *
     * @param code the Spring status code
     * @return the rank, higher is worse
     */
    public static int rank(String code) {
        return switch (code) {
            case "DOWN" -> 3;
            case "OUT_OF_SERVICE" -> 2;
            case "DEGRADED" -> 1;
            default -> 0;
        };
    }

    /**
     * The overall status of Perfkit's own checks (the {@code spring.*} ones left out): the worst of them.
     *
     * @param report Perfkit's report
     * @return UP, DEGRADED or DOWN
     */
    public static HealthStatus overall(HealthReport report) {
        HealthStatus overall = HealthStatus.UP;
        for (Map.Entry<String, HealthResult> e : report.components().entrySet()) {
            if (!e.getKey().startsWith(PREFIX)) {
                HealthStatus s = e.getValue().status();
                if (s == HealthStatus.DOWN || overall == HealthStatus.DOWN) {
                    overall = HealthStatus.DOWN;
                } else if (s == HealthStatus.DEGRADED) {
                    overall = HealthStatus.DEGRADED;
                }
            }
        }
        return overall;
    }

    /**
     * The health details of Perfkit's own checks (the {@code spring.*} ones left out): per check, its
     * {@code status} and {@code message}.
     *
     * @param report Perfkit's report
     * @return check name → detail, in the report's order
     */
    public static Map<String, Map<String, Object>> details(HealthReport report) {
        Map<String, Map<String, Object>> details = new LinkedHashMap<>();
        for (Map.Entry<String, HealthResult> e : report.components().entrySet()) {
            if (e.getKey().startsWith(PREFIX)) {
                // Spring's own contributors, bridged into Perfkit: Actuator already reports them.
                continue;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", e.getValue().status().name().toUpperCase(Locale.ROOT));
            detail.put("message", e.getValue().message());
            details.put(e.getKey(), detail);
        }
        return details;
    }
}
