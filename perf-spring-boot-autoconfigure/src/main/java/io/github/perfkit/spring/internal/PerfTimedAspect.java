package io.github.perfkit.spring.internal;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.Scope;
import io.micrometer.core.annotation.Timed;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Times methods annotated with Micrometer's {@link Timed} (on the method, or on its class) with a Perfkit
 * tracker scope named by {@link Timed#value()}, or {@code SimpleClassName.method} when it is empty, and tagged
 * with {@link Timed#extraTags()}. A failure of the monitoring itself is counted, logged once and never
 * reaches the application.
 *
 * <p>Thread-safe: stateless apart from a failure counter.
 */
public final class PerfTimedAspect implements MethodInterceptor {

    /**
     * Methods annotated with {@link Timed}, or declared in a class annotated with it (plain Spring AOP
     * annotation matching: no AspectJ expression is evaluated; classes without the annotation anywhere are
     * rejected by a cached scan first, which keeps startup cheap).
     */
    public static final Pointcut POINTCUT = new ComposablePointcut(new AnnotatedClassFilter(Timed.class))
            .intersection(new ComposablePointcut(new AnnotationMatchingPointcut(null, Timed.class, true))
                    .union(new AnnotationMatchingPointcut(Timed.class, true)));

    private static final Logger LOG = LoggerFactory.getLogger(PerfTimedAspect.class);

    private final Perf perf;
    private final AtomicLong failures = new AtomicLong();

    /**
     * An aspect recording into the hub's tracker.
     *
     * @param perf the hub
     */
    public PerfTimedAspect(Perf perf) {
        this.perf = Objects.requireNonNull(perf, "perf");
    }

    /** @return how many times the monitoring itself failed (the method still ran) */
    public long failures() {
        return failures.get();
    }

    /**
     * Runs the method inside a tracker scope.
     *
     * @param invocation the invocation
     * @return what the method returned
     * @throws Throwable what the method threw, unchanged
     */
    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Scope scope = open(invocation);
        if (scope == null) {
            return invocation.proceed();
        }
        try {
            return invocation.proceed();
        } finally {
            try {
                scope.close();
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    private @Nullable Scope open(MethodInvocation invocation) {
        try {
            Object target = invocation.getThis();
            Class<?> type = target != null ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
            Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), type);
            Timed timed = AnnotatedElementUtils.findMergedAnnotation(method, Timed.class);
            if (timed == null) {
                timed = AnnotatedElementUtils.findMergedAnnotation(type, Timed.class);
            }
            String name = timed != null && !timed.value().isBlank()
                    ? timed.value()
                    : userClass(type).getSimpleName() + "." + method.getName();
            String[] tags = timed != null ? timed.extraTags() : new String[0];
            if (tags.length % 2 != 0) {
                tags = java.util.Arrays.copyOf(tags, tags.length - 1);
            }
            return perf.tracker().start(name, tags);
        } catch (RuntimeException e) {
            failed(e);
            return null;
        }
    }

    private static Class<?> userClass(Class<?> type) {
        Class<?> c = type;
        while (c.getName().contains("$$") && c.getSuperclass() != null) {
            c = c.getSuperclass();
        }
        return c;
    }

    private void failed(RuntimeException e) {
        if (failures.getAndIncrement() == 0) {
            LOG.warn("Perfkit: recording a @Timed method failed; the method runs unmonitored. (Logged once.)", e);
        } else {
            LOG.debug("Perfkit: recording a @Timed method failed", e);
        }
    }
}
