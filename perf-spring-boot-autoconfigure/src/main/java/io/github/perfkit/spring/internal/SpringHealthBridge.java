package io.github.perfkit.spring.internal;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.health.HealthResult;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;

/**
 * Spring → Perfkit health: once the context's singletons exist, registers one Perfkit readiness check per
 * contributor of Spring's {@link HealthContributorRegistry} (named {@code spring.<contributor>}), which asks that
 * contributor (a composite is its worst member). Spring's registry is then re-read every refresh interval on a
 * daemon thread, so contributors registered after start-up are bridged too and removed ones are dropped (at most
 * {@value #MAX_BRIDGED} bridged checks). Perfkit's own Actuator indicator is never bridged and, in turn, leaves the
 * {@code spring.*} checks out of its report, so neither direction loops or repeats. Status mapping: UP → UP, DOWN and
 * OUT_OF_SERVICE → DOWN, Perfkit's DEGRADED → DEGRADED, UNKNOWN and custom codes → UP with the code as message. Only
 * the status and, for a failure, the {@code error} detail are carried over (other details may be sensitive).
 *
 * <p>Thread-safe: synchronisation with Spring's registry is serialised; the checks are run by Perfkit's health
 * registry.
 */
public final class SpringHealthBridge implements SmartInitializingSingleton, AutoCloseable {

    /** Prefix of the bridged checks' names. */
    public static final String PREFIX = "spring.";
    /** Bound on bridged contributors. */
    public static final int MAX_BRIDGED = 64;

    private static final Logger LOG = LoggerFactory.getLogger(SpringHealthBridge.class);
    private static final int MAX_DEPTH = 8;

    private final Perf perf;
    private final ObjectProvider<HealthContributorRegistry> registry;
    private final Duration timeout;
    private final Duration refreshInterval;
    /** Perfkit check name → Spring contributor name, of the checks this bridge registered. */
    private final Map<String, String> registered = new LinkedHashMap<>();
    private final Set<String> refused = new HashSet<>();
    private @Nullable ScheduledExecutorService refresher;
    private boolean closed;

    /**
     * A bridge re-reading Spring's registry every 10 s.
     *
     * @param perf the hub whose health registry receives the checks
     * @param registry Spring's contributor registry (absent when the health endpoint is off)
     * @param timeout timeout of each bridged check
     */
    public SpringHealthBridge(Perf perf, ObjectProvider<HealthContributorRegistry> registry, Duration timeout) {
        this(perf, registry, timeout, Duration.ofSeconds(10));
    }

    /**
     * A bridge.
     *
     * @param perf the hub whose health registry receives the checks
     * @param registry Spring's contributor registry (absent when the health endpoint is off)
     * @param timeout timeout of each bridged check
     * @param refreshInterval how often Spring's registry is re-read, positive
     * @throws IllegalArgumentException if the refresh interval is not positive
     */
    public SpringHealthBridge(Perf perf, ObjectProvider<HealthContributorRegistry> registry, Duration timeout,
                              Duration refreshInterval) {
        this.perf = Objects.requireNonNull(perf, "perf");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive, was " + refreshInterval);
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        HealthContributorRegistry contributors = registry.getIfAvailable();
        if (contributors == null) {
            return;
        }
        refresh(contributors);
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
            executor.scheduleWithFixedDelay(() -> refresh(contributors), millis, millis, TimeUnit.MILLISECONDS);
            refresher = executor;
        }
    }

    /**
     * Re-reads Spring's registry now: bridges contributors not bridged yet, drops the bridged ones Spring no longer
     * has. Never throws.
     *
     * @param contributors Spring's registry
     */
    synchronized void refresh(HealthContributorRegistry contributors) {
        if (closed) {
            return;
        }
        try {
            Set<String> present = new HashSet<>();
            for (NamedContributor<HealthContributor> named : contributors) {
                if (named.getContributor() instanceof PerfkitHealthIndicator) {
                    continue;
                }
                String springName = named.getName();
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
                    perf.health().register(name, () -> check(contributors, springName), timeout,
                            HealthGroup.READINESS);
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

    /** @return the names of the bridged checks */
    public synchronized List<String> registered() {
        return List.copyOf(registered.keySet());
    }

    /** Stops re-reading Spring's registry; the bridged checks stay registered. Idempotent. */
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

    /** Asks Spring's contributor of that name, as it is registered now. */
    static HealthResult check(HealthContributorRegistry contributors, String springName) {
        HealthContributor contributor = contributors.getContributor(springName);
        if (contributor == null) {
            return HealthResult.up("no longer registered");
        }
        return check(contributor);
    }

    static String checkName(String springName) {
        StringBuilder b = new StringBuilder(PREFIX);
        for (int i = 0; i < springName.length() && b.length() < 64; i++) {
            char c = springName.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    static HealthResult check(HealthContributor contributor) {
        Health health = health(contributor, 0);
        if (health == null) {
            return HealthResult.up("no indicator");
        }
        Status status = health.getStatus();
        Object error = health.getDetails().get("error");
        String code = status.getCode();
        String message = error == null ? code : code + ": " + error;
        if (Status.DOWN.equals(status) || Status.OUT_OF_SERVICE.equals(status)) {
            return HealthResult.down(message);
        }
        if (PerfkitHealthIndicator.DEGRADED.equals(status)) {
            return HealthResult.degraded(message);
        }
        return HealthResult.up(message);
    }

    /** The contributor's health; for a composite, its worst member's (DOWN, OUT_OF_SERVICE, DEGRADED, others). */
    private static @Nullable Health health(HealthContributor contributor, int depth) {
        if (contributor instanceof PerfkitHealthIndicator) {
            return null;
        }
        if (contributor instanceof HealthIndicator indicator) {
            return indicator.health();
        }
        if (contributor instanceof CompositeHealthContributor composite && depth < MAX_DEPTH) {
            Health worst = null;
            for (NamedContributor<HealthContributor> child : composite) {
                Health h = health(child.getContributor(), depth + 1);
                if (h != null && (worst == null || rank(h.getStatus()) > rank(worst.getStatus()))) {
                    worst = h;
                }
            }
            return worst;
        }
        return null;
    }

    private static int rank(Status status) {
        if (Status.DOWN.equals(status)) {
            return 3;
        }
        if (Status.OUT_OF_SERVICE.equals(status)) {
            return 2;
        }
        return PerfkitHealthIndicator.DEGRADED.equals(status) ? 1 : 0;
    }
}
