package io.github.perfkit.spring.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.util.ClassUtils;

/**
 * The registry Perfkit uses when the application has none: a Prometheus registry when Micrometer's Prometheus
 * registry is on the classpath (so {@code /perf/metrics} works), a simple one otherwise. Thread-safe: stateless.
 */
public final class OwnRegistry {

    private static final String PROMETHEUS = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

    private OwnRegistry() {}

    /** @return a new registry */
    public static MeterRegistry create() {
        if (ClassUtils.isPresent(PROMETHEUS, OwnRegistry.class.getClassLoader())) {
            return Prometheus.create();
        }
        return new SimpleMeterRegistry();
    }

    private static final class Prometheus {
        static MeterRegistry create() {
            return new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        }
    }
}
