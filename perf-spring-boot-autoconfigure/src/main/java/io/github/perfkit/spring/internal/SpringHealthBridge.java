package io.github.perfkit.spring.internal;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;

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
 * <p>The registry-independent part is {@link HealthContributorSync}, shared with the Boot 4 bridge.
 *
 * <p>Thread-safe: synchronisation with Spring's registry is serialised; the checks are run by Perfkit's health
 * registry.
 */
public final class SpringHealthBridge implements SmartInitializingSingleton, AutoCloseable {

    /** Prefix of the bridged checks' names. */
    public static final String PREFIX = HealthContributorSync.PREFIX;
    /** Bound on bridged contributors. */
    public static final int MAX_BRIDGED = HealthContributorSync.MAX_BRIDGED;

    private static final int MAX_DEPTH = 8;

    private final ObjectProvider<HealthContributorRegistry> registry;
    private final HealthContributorSync sync;

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
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sync = new HealthContributorSync(perf, timeout, refreshInterval);
    }

    @Override
    public void afterSingletonsInstantiated() {
        HealthContributorRegistry contributors = registry.getIfAvailable();
        if (contributors != null) {
            sync.start(source(contributors));
        }
    }

    /**
     * Re-reads Spring's registry now: bridges contributors not bridged yet, drops the bridged ones Spring no longer
     * has. Never throws.
     *
     * @param contributors Spring's registry
     */
    void refresh(HealthContributorRegistry contributors) {
        sync.refresh(source(contributors));
    }

    /** @return the names of the bridged checks */
    public List<String> registered() {
        return sync.registered();
    }

    /** Stops re-reading Spring's registry; the bridged checks stay registered. Idempotent. */
    @Override
    public void close() {
        sync.close();
    }

    private static HealthContributorSync.Source source(HealthContributorRegistry contributors) {
        return new HealthContributorSync.Source() {
            @Override
            public List<String> names() {
                List<String> names = new ArrayList<>();
                for (NamedContributor<HealthContributor> named : contributors) {
                    if (!(named.getContributor() instanceof PerfkitHealthIndicator)) {
                        names.add(named.getName());
                    }
                }
                return names;
            }

            @Override
            public HealthResult check(String springName) {
                return SpringHealthBridge.check(contributors, springName);
            }
        };
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
        return HealthContributorSync.checkName(springName);
    }

    static HealthResult check(HealthContributor contributor) {
        Health health = health(contributor, 0);
        if (health == null) {
            return HealthResult.up("no indicator");
        }
        return HealthContributorSync.result(health.getStatus().getCode(), health.getDetails().get("error"));
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
                if (h != null && (worst == null || HealthContributorSync.rank(h.getStatus().getCode())
                        > HealthContributorSync.rank(worst.getStatus().getCode()))) {
                    worst = h;
                }
            }
            return worst;
        }
        return null;
    }
}
