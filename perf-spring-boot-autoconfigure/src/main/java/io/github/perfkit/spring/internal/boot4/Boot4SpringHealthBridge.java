package io.github.perfkit.spring.internal.boot4;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.health.HealthResult;
import io.github.perfkit.spring.internal.HealthContributorSync;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;

/**
 * Spring Boot 4 → Perfkit health, as the Boot 3 {@code SpringHealthBridge} does: once the context's singletons exist,
 * registers one Perfkit readiness check {@code spring.<contributor>} per contributor of Boot 4's
 * {@link HealthContributorRegistry}, which asks that contributor (a composite is its worst member), and re-reads the
 * registry every refresh interval so contributors registered after start-up are bridged and removed ones dropped
 * ({@link HealthContributorSync}). Perfkit's own indicator ({@link Boot4PerfkitHealthIndicator}) is never bridged.
 * Only the status and, for a failure, the {@code error} detail are carried over.
 *
 * <p>Thread-safe: synchronisation with Spring's registry is serialised; the checks are run by Perfkit's health
 * registry.
 */
public final class Boot4SpringHealthBridge implements SmartInitializingSingleton, AutoCloseable {

    private static final int MAX_DEPTH = 8;

    private final ObjectProvider<HealthContributorRegistry> registry;
    private final HealthContributorSync sync;

    /**
     * A bridge.
     *
     * @param perf the hub whose health registry receives the checks
     * @param registry Spring's contributor registry (absent when the health endpoint is off)
     * @param timeout timeout of each bridged check
     * @param refreshInterval how often Spring's registry is re-read, positive
     * @throws IllegalArgumentException if the refresh interval is not positive
     */
    public Boot4SpringHealthBridge(Perf perf, ObjectProvider<HealthContributorRegistry> registry, Duration timeout,
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
     * The bridged checks.
     *
     * @return the names of the bridged checks
     */
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
                for (HealthContributors.Entry entry : contributors) {
                    if (!(entry.contributor() instanceof Boot4PerfkitHealthIndicator)) {
                        names.add(entry.name());
                    }
                }
                return names;
            }

            @Override
            public HealthResult check(String springName) {
                HealthContributor contributor = contributors.getContributor(springName);
                if (contributor == null) {
                    return HealthResult.up("no longer registered");
                }
                return Boot4SpringHealthBridge.check(contributor);
            }
        };
    }

    /**
     * Asks one contributor (a composite is its worst member).
     *
     * @param contributor the contributor
     * @return its health as a Perfkit result; UP "no indicator" when it holds no indicator
     */
    static HealthResult check(HealthContributor contributor) {
        Health health = health(contributor, 0);
        if (health == null) {
            return HealthResult.up("no indicator");
        }
        return HealthContributorSync.result(health.getStatus().getCode(), health.getDetails().get("error"));
    }

    private static @Nullable Health health(HealthContributor contributor, int depth) {
        if (contributor instanceof Boot4PerfkitHealthIndicator) {
            return null;
        }
        if (contributor instanceof HealthIndicator indicator) {
            return indicator.health();
        }
        if (contributor instanceof CompositeHealthContributor composite && depth < MAX_DEPTH) {
            Health worst = null;
            for (HealthContributors.Entry child : composite) {
                Health h = health(child.contributor(), depth + 1);
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
