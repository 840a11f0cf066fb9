package io.github.perfkit.spring.internal;

import io.github.perfkit.core.Perf;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Loads and initialises the classes Perfkit's beans will need (Micrometer's meters and Prometheus registry, the hub,
 * its tracker and history, the filter and endpoints, Spring AOP's class-based proxies for the {@code @Timed}/
 * {@code @Cached} advisors) on a short-lived daemon thread as soon as the application's environment is prepared, the
 * way Spring Boot's own {@code BackgroundPreinitializer} does for its libraries: the class loading then overlaps
 * Spring's configuration work instead of lengthening the creation of Perfkit's beans on the start-up thread. (The
 * alert engine with its default set is built after the application is ready, see {@link DeferredAlertEngine}: its
 * classes are not loaded here.) It builds throwaway objects on a registry of its own and closes them; nothing is
 * shared with the application. Skipped when {@code perfkit.enabled=false} or
 * {@code spring.backgroundpreinitializer.ignore=true} (Spring Boot's switch for the same idea). Registered in
 * {@code META-INF/spring.factories}; never throws.
 *
 * <p>Thread-safe.
 */
public final class PerfkitPreinitializer implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(PerfkitPreinitializer.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final ClassLoader LOADER = PerfkitPreinitializer.class.getClassLoader();

    /** Creates the listener; called by Spring. */
    public PerfkitPreinitializer() {}

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        try {
            Environment env = event.getEnvironment();
            if ("false".equals(lower(env.getProperty("perfkit.enabled")))
                    || Boolean.getBoolean("spring.backgroundpreinitializer.ignore")
                    || "true".equals(lower(env.getProperty("spring.backgroundpreinitializer.ignore")))
                    || Runtime.getRuntime().availableProcessors() < 2
                    || !STARTED.compareAndSet(false, true)) {
                return;
            }
            // The CGLIB warm-up serves the @Timed/@Cached advisors only.
            boolean proxies = !"false".equals(lower(env.getProperty("perfkit.timed.enabled")))
                    || !"false".equals(lower(env.getProperty("perfkit.cache.annotations.enabled")));
            Thread t = new Thread(() -> preinitialize(proxies), "perfkit-preinit");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
        } catch (RuntimeException e) {
            LOG.debug("Perfkit: classes not preinitialized", e);
        }
    }

    private static String lower(String value) {
        return value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    }

    static void preinitialize(boolean proxies) {
        try {
            OwnRegistry.create().close();
            MeterRegistry registry = new SimpleMeterRegistry();
            try (Perf perf = Perf.builder().registry(registry).autoTick(false).systemMetrics(false).jvmMetrics(false)
                    .build()) {
                perf.tracker().operation("perfkit.preinit").start().close();
                if (ClassUtils.isPresent("io.github.perfkit.servlet.PerfFilter", LOADER)) {
                    Servlet.preinitialize(perf);
                }
            }
            registry.close();
            if (proxies && ClassUtils.isPresent("org.aspectj.lang.annotation.Aspect", LOADER)) {
                Aop.preinitialize();
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Perfkit: preinitializing classes failed (start-up goes on; they load when needed)", e);
        }
    }

    /** Touches perf-servlet only when it is on the class path. */
    private static final class Servlet {
        private Servlet() {}

        static void preinitialize(Perf perf) {
            io.github.perfkit.servlet.PerfFilter filter = new io.github.perfkit.servlet.PerfFilter(perf,
                    io.github.perfkit.servlet.PerfFilterConfig.ofDefaults());
            new io.github.perfkit.servlet.PerfEndpointsServlet(perf,
                    io.github.perfkit.servlet.PerfEndpointsConfig.ofDefaults(), filter);
        }
    }

    /**
     * Spring AOP's class-based proxies (CGLIB) for Perfkit's {@code @Timed}/{@code @Cached} advisors: one throwaway
     * proxy of a tiny class loads the proxy machinery the application's annotated beans will need.
     */
    private static final class Aop {
        private Aop() {}

        static void preinitialize() {
            org.springframework.aop.framework.ProxyFactory factory =
                    new org.springframework.aop.framework.ProxyFactory(new Target());
            factory.setProxyTargetClass(true);
            factory.addAdvisor(new org.springframework.aop.support.DefaultPointcutAdvisor(
                    (org.aopalliance.intercept.MethodInterceptor) invocation -> invocation.proceed()));
            ((Target) factory.getProxy(LOADER)).run();
        }
    }

    /** What the throwaway proxy wraps. */
    static class Target implements Runnable {
        @Override
        public void run() {
            // nothing
        }
    }
}
