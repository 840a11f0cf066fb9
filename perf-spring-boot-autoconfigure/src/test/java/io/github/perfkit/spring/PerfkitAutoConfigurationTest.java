package io.github.perfkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.metrics.MetricNames;
import io.github.perfkit.spring.internal.PerfTimedAspect;
import io.micrometer.core.annotation.Timed;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Conditions, back-off and property validation of the non-web auto-configurations. */
class PerfkitAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PerfkitAutoConfiguration.class,
                    PerfkitTimedAutoConfiguration.class, PerfkitAlertsAutoConfiguration.class,
                    PerfkitCacheAutoConfiguration.class, PerfkitServletAutoConfiguration.class))
            .withPropertyValues("perfkit.system-metrics=false");

    @Test
    void perfIsBuiltOnTheApplicationsRegistry() {
        runner.withUserConfiguration(RegistryConfig.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Perf.class);
            assertThat(context.getBean(Perf.class).registry()).isSameAs(context.getBean(MeterRegistry.class));
            assertThat(context.getBean(Perf.class).tickInterval()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void withoutARegistryPerfUsesAPrometheusRegistryOfItsOwn() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean(MeterRegistry.class);
            assertThat(context.getBean(Perf.class).registry()).isInstanceOf(PrometheusMeterRegistry.class);
        });
    }

    @Test
    void propertiesReachTheHub() {
        runner.withPropertyValues("perfkit.tick-interval=250ms").run(context ->
                assertThat(context.getBean(Perf.class).tickInterval()).isEqualTo(Duration.ofMillis(250)));
    }

    @Test
    void diagnosisIsOnByDefaultAndCanBeSwitchedOff() {
        runner.run(context ->
                assertThat(context.getBean(PerfkitProperties.class).getDiagnosis().isEnabled()).isTrue());
        runner.withPropertyValues("perfkit.diagnosis.enabled=false").run(context ->
                assertThat(context.getBean(PerfkitProperties.class).getDiagnosis().isEnabled()).isFalse());
    }

    @Test
    void userPerfWins() {
        runner.withUserConfiguration(UserPerfConfig.class).run(context -> {
            assertThat(context).hasSingleBean(Perf.class);
            assertThat(context.getBean(Perf.class)).isSameAs(UserPerfConfig.PERF.get());
        });
    }

    @Test
    void disabledRemovesEverything() {
        runner.withPropertyValues("perfkit.enabled=false").run(context -> assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean(Perf.class).doesNotHaveBean(AlertEngine.class)
                .doesNotHaveBean(CacheManager.class).doesNotHaveBean(PerfTimedAspect.class));
    }

    @Test
    void perfIsClosedWithTheContext() {
        java.util.Set<Thread> before = tickThreads();
        java.util.Set<Thread> started = new java.util.HashSet<>();
        runner.run(context -> {
            assertThat(context).hasSingleBean(Perf.class);
            started.addAll(tickThreads());
            started.removeAll(before);
            assertThat(started).isNotEmpty();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> started.stream().noneMatch(Thread::isAlive));
    }

    private static java.util.Set<Thread> tickThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("perfkit-tick") && t.isAlive())
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void diagnosisWindowsComeFromProperties() {
        runner.withPropertyValues("perfkit.diagnosis.window=3s", "perfkit.diagnosis.thread-leak-windows=3",
                "perfkit.diagnosis.memory-leak-min-growth=1048576").run(context -> {
                    var config = context.getBean(PerfkitProperties.class).getDiagnosis().toConfig();
                    assertThat(config.window()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(config.threadLeakWindows()).isEqualTo(3);
                    assertThat(config.memoryLeakMinGrowth()).isEqualTo(1_048_576L);
                    assertThat(config.memoryLeakWindows())
                            .isEqualTo(io.github.perfkit.core.findings.DiagnosisConfig.ofDefaults().memoryLeakWindows());
                });
    }

    @Test
    void anOutOfRangeDiagnosisWindowFailsStartupNamingTheProperty() {
        runner.withPropertyValues("perfkit.diagnosis.window=20min").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("perfkit.diagnosis.window");
        });
        runner.withPropertyValues("perfkit.diagnosis.memory-leak-windows=1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("perfkit.diagnosis.memory-leak-windows");
        });
    }

    @Test
    void aTooShortTickIntervalFailsStartupNamingTheProperty() {
        runner.withPropertyValues("perfkit.tick-interval=10ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("perfkit.tick-interval");
        });
    }

    @Test
    void anUnparsableDurationFailsStartupNamingTheProperty() {
        runner.withPropertyValues("perfkit.alerts.interval=soon").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("perfkit.alerts.interval");
        });
    }

    @Test
    void aBadRedisUrlFailsStartupNamingTheProperty() {
        runner.withPropertyValues("perfkit.cache.redis.url=localhost:6379").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("perfkit.cache.redis.url");
        });
    }

    @Test
    void alertEngineRunsTheDefaultRulesAndRegistersItsSection() {
        runner.run(context -> {
            AlertEngine engine = context.getBean(AlertEngine.class);
            assertThat(engine.rules()).isNotEmpty();
            assertThat(context.getBean(Perf.class).statusSections()).containsKey("alerts");
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().evaluations() > 0);
        });
    }

    @Test
    void alertsCanBeSwitchedOffAndBackOffForAUserEngine() {
        runner.withPropertyValues("perfkit.alerts.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean(AlertEngine.class);
            assertThat(context.getBean(Perf.class).statusSections()).doesNotContainKey("alerts");
        });
        runner.withUserConfiguration(UserAlertsConfig.class).run(context -> {
            assertThat(context).hasSingleBean(AlertEngine.class);
            assertThat(context.getBean(AlertEngine.class).rules()).isEmpty();
        });
        runner.withClassLoader(new FilteredClassLoader(AlertEngine.class)).run(context ->
                assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean("perfAlertEngine"));
    }

    @Test
    void cacheManagerIsLocalOnlyByDefault() {
        runner.run(context -> {
            CacheManager manager = context.getBean(CacheManager.class);
            assertThat(manager.hasRemoteTier()).isFalse();
            assertThat(context.getBean(Perf.class).statusSections()).containsKey("cache");
        });
    }

    @Test
    void cacheCanBeSwitchedOffAndBacksOffForAUserManager() {
        runner.withPropertyValues("perfkit.cache.enabled=false").run(context ->
                assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean(CacheManager.class));
        runner.withUserConfiguration(UserCacheConfig.class).run(context -> {
            assertThat(context).hasSingleBean(CacheManager.class);
            assertThat(context.getBean(CacheManager.class)).isSameAs(context.getBean("myCache"));
        });
    }

    @Test
    void timedMethodsAreRecordedIntoTheTracker() {
        runner.withUserConfiguration(TimedServiceConfig.class).run(context -> {
            assertThat(context).hasSingleBean(PerfTimedAspect.class);
            TimedService service = context.getBean(TimedService.class);
            service.work();
            service.named();
            Perf perf = context.getBean(Perf.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                perf.tick();
                assertThat(perf.tracker().stats()).extracting(s -> s.name())
                        .contains("TimedService.work", "orders.place");
            });
        });
    }

    @Test
    void timedCanBeSwitchedOffAndNeedsAspectJ() {
        runner.withPropertyValues("perfkit.timed.enabled=false").run(context ->
                assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean(PerfTimedAspect.class));
        runner.withClassLoader(new FilteredClassLoader(org.aspectj.lang.annotation.Aspect.class)).run(context ->
                assertThat(context).hasSingleBean(Perf.class).doesNotHaveBean(PerfTimedAspect.class));
    }

    @Test
    void noServletPartOutsideAWebApplication() {
        runner.run(context -> assertThat(context).doesNotHaveBean(io.github.perfkit.servlet.PerfFilter.class)
                .doesNotHaveBean(io.github.perfkit.servlet.PerfEndpointsServlet.class));
    }

    @Test
    void theCollectorsAreSetUpAtTheFirstTickOffTheStartupThread() {
        runner.withPropertyValues("perfkit.system-metrics=true", "perfkit.tick-interval=1h").run(context -> {
            Perf perf = context.getBean(Perf.class);
            assertThat(perf.registry().find(MetricNames.JVM_THREADS_LIVE).gauge()).isNull();
            assertThat(perf.registry().find(MetricNames.SYSTEM_CPU_LOGICAL).gauge()).isNull();
            perf.tick();
            assertThat(perf.registry().find(MetricNames.JVM_THREADS_LIVE).gauge()).isNotNull();
            assertThat(perf.registry().find(MetricNames.SYSTEM_CPU_LOGICAL).gauge()).isNotNull();
        });
    }

    @Test
    void theCardinalityGuardOnTheApplicationsRegistryCanBeCappedOrSwitchedOff() {
        runner.withPropertyValues("perfkit.metrics.cardinality-guard.max-series-per-name=3").run(context -> {
            MeterRegistry registry = context.getBean(Perf.class).registry();
            assertThat(uriSeries(registry)).isEqualTo(4); // 3 of their own + the overflow series
            for (int i = 0; i < 10; i++) {
                registry.counter("perfkit.own", "uri", "/u" + i).increment(); // Perfkit's own meters are exempt
            }
            assertThat(registry.find("perfkit.own").counters()).hasSize(10);
        });
        runner.withPropertyValues("perfkit.metrics.cardinality-guard.enabled=false").run(context ->
                assertThat(uriSeries(context.getBean(Perf.class).registry())).isEqualTo(10));
        runner.run(context -> assertThat(uriSeries(context.getBean(Perf.class).registry())).isEqualTo(10));
        runner.withPropertyValues("perfkit.metrics.cardinality-guard.max-series-per-name=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("perfkit.metrics.cardinality-guard.max-series-per-name");
        });
    }

    /** Registers ten tag sets of one host meter; returns how many series the registry holds for it. */
    private static int uriSeries(MeterRegistry registry) {
        for (int i = 0; i < 10; i++) {
            registry.counter("host.requests", "uri", "/u" + i).increment();
        }
        return registry.find("host.requests").counters().size();
    }

    static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class RegistryConfig {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserPerfConfig {
        static final AtomicReference<Perf> PERF = new AtomicReference<>();

        @Bean
        Perf myPerf() {
            Perf perf = Perf.builder().systemMetrics(false).build();
            PERF.set(perf);
            return perf;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserAlertsConfig {
        @Bean
        AlertEngine myEngine(Perf perf) {
            return AlertEngine.builder().perf(perf).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCacheConfig {
        @Bean
        CacheManager myCache(Perf perf) {
            return CacheManager.builder().perf(perf).keyPrefix("mine").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TimedServiceConfig {
        @Bean
        TimedService timedService() {
            return new TimedService();
        }
    }

    /** A bean with {@code @Timed} methods. */
    public static class TimedService {
        /** @return a value */
        @Timed
        public int work() {
            return 1;
        }

        /** @return a value */
        @Timed(value = "orders.place", extraTags = {"kind", "test"})
        public int named() {
            return 2;
        }
    }
}
