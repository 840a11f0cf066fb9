package io.github.perfkit.spring.internal;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthGroup;
import io.github.perfkit.core.health.HealthResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * contributor (a composite is its worst member). Perfkit's own Actuator indicator is never bridged and, in turn,
 * leaves the {@code spring.*} checks out of its report, so neither direction loops or repeats. Status mapping:
 * UP → UP, DOWN and OUT_OF_SERVICE → DOWN, Perfkit's DEGRADED → DEGRADED, UNKNOWN and custom codes → UP with the
 * code as message. Only the status and, for a failure, the {@code error} detail are carried over (other details may
 * be sensitive). Contributors registered after startup are not bridged.
 *
 * <p>Thread-safe: registration runs once at startup; the checks are run by Perfkit's health registry.
 */
public final class SpringHealthBridge implements SmartInitializingSingleton {

    /** Prefix of the bridged checks' names. */
    public static final String PREFIX = "spring.";

    private static final Logger LOG = LoggerFactory.getLogger(SpringHealthBridge.class);
    private static final int MAX_DEPTH = 8;

    private final Perf perf;
    private final ObjectProvider<HealthContributorRegistry> registry;
    private final Duration timeout;
    private final List<String> registered = new ArrayList<>();

    /**
     * A bridge.
     *
     * @param perf the hub whose health registry receives the checks
     * @param registry Spring's contributor registry (absent when the health endpoint is off)
     * @param timeout timeout of each bridged check
     */
    public SpringHealthBridge(Perf perf, ObjectProvider<HealthContributorRegistry> registry, Duration timeout) {
        this.perf = Objects.requireNonNull(perf, "perf");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public void afterSingletonsInstantiated() {
        HealthContributorRegistry contributors = registry.getIfAvailable();
        if (contributors == null) {
            return;
        }
        for (NamedContributor<HealthContributor> named : contributors) {
            HealthContributor contributor = named.getContributor();
            if (contributor instanceof PerfkitHealthIndicator) {
                continue;
            }
            String name = checkName(named.getName());
            try {
                perf.health().register(name, () -> check(contributor), timeout, HealthGroup.READINESS);
                synchronized (registered) {
                    registered.add(name);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                LOG.info("Perfkit: Spring health contributor '{}' not bridged: {}", named.getName(), e.getMessage());
            }
        }
        LOG.debug("Perfkit: bridged Spring health contributors {}", registered);
    }

    /** @return the names of the bridged checks */
    public List<String> registered() {
        synchronized (registered) {
            return List.copyOf(registered);
        }
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
