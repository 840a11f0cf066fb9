package io.github.perfkit.examples.snippets;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.config.RuleLoader;
import io.github.perfkit.alerts.notify.LogNotifier;
import io.github.perfkit.alerts.redis.RedisAlertStore;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.TrackerConfig;
import io.github.perfkit.servlet.PerfEndpointsConfig;
import io.github.perfkit.servlet.PerfFilter;
import io.github.perfkit.servlet.PerfFilterConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The code shown in docs/DEPLOYMENT.md, between {@code tag::name[]} and {@code end::name[]} markers.
 * It compiles with the build; {@code DocsSnippetsTest} checks the document shows exactly it.
 */
@SuppressWarnings("unused")
final class DeploymentSnippets {

    private DeploymentSnippets() {}

    static Perf productionHub(PrometheusMeterRegistry prometheus) {
        // tag::production-hub[]
        Perf perf = Perf.builder()
                .registry(prometheus)                                   // what <base>/metrics renders
                .tracker(TrackerConfig.builder()
                        .slowRequestThreshold(Duration.ofSeconds(1))    // keep the tree of every request >= 1 s
                        .samplingRate(0.01)                             // and of 1 % of the others
                        .build())
                .diagnosis(true)                                        // continuous JFR diagnosis, about 1 %
                .build();
        // end::production-hub[]
        return perf;
    }

    static PerfFilter productionFilter(Perf perf) {
        // tag::production-servlet[]
        PerfFilter filter = new PerfFilter(perf, PerfFilterConfig.builder()
                .profileSamplingRate(0.25)            // profile trees for a quarter of the requests; metrics for all
                .exclude("/assets/")                  // no metrics for static files
                .build());
        PerfEndpointsConfig endpoints = PerfEndpointsConfig.builder()
                .bearerToken(System.getenv("PERFKIT_TOKEN"))          // scrapers and scripts, >= 16 characters
                .trustedProxy("10.0.0.5")                             // believe X-Forwarded-For from this proxy only
                .authorizer(request -> request.isUserInRole("ops"))   // humans: the container's own login
                .build();
        // end::production-servlet[]
        return filter;
    }

    static AlertEngine severalNodes(Perf perf) {
        // tag::redis-nodes[]
        String redis = System.getenv("REDIS_URL");                    // e.g. redis://redis.internal:6379
        CacheManager caches = CacheManager.builder()
                .perf(perf)
                .keyPrefix("shop")                                    // one prefix per application on this Redis
                .remoteTier(RedisTier.create(RedisTierConfig.builder().uri(redis).build()))
                .build();
        AlertEngine alerts = AlertEngine.builder()
                .perf(perf)
                .rules(RuleLoader.defaults())
                .store(RedisAlertStore.create(redis, "shop:alerts:", 1_000, Duration.ofMillis(200)))
                .notifier(new LogNotifier())                          // one node sends each notification
                .build();
        alerts.start(Duration.ofSeconds(5));
        // end::redis-nodes[]
        return alerts;
    }
}
