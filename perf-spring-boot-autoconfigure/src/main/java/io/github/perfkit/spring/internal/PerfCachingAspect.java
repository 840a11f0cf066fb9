package io.github.perfkit.spring.internal;

import io.github.perfkit.cache.CacheConfig;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.MultilevelCache;
import io.github.perfkit.cache.annotation.CacheInvalidate;
import io.github.perfkit.cache.annotation.Cached;
import io.github.perfkit.cache.annotation.KeyExpression;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.springframework.boot.convert.DurationStyle;

/**
 * Applies Perfkit's {@link Cached} and {@link CacheInvalidate} to Spring beans (a Spring AOP interceptor
 * on {@link #POINTCUT}). A cache named by an annotation
 * that the {@link CacheManager} does not have yet is created L1-only with the default configuration. Key
 * expressions are parsed once per method. When the cache itself fails before the method ran (an invalid key,
 * for instance) the method is called directly; a failed invalidation is counted and logged (once), never
 * thrown. The method's own exceptions propagate unchanged. {@code @CacheInvalidate} invalidates only after the method
 * returned normally: when it throws, nothing is invalidated (a failed, rolled-back write leaves the cached value
 * valid; the same contract as the annotation's, perf-cache's {@code CachingProxy} and Spring's {@code @CacheEvict}).
 *
 * <p>Thread-safe.
 */
public final class PerfCachingAspect implements MethodInterceptor {

    /** Methods annotated with {@link Cached} or {@link CacheInvalidate} (plain Spring AOP annotation matching,
     * after a cached per-class scan rejects classes without them). */
    public static final Pointcut POINTCUT = new ComposablePointcut(
            new AnnotatedClassFilter(Cached.class, CacheInvalidate.class))
            .intersection(new ComposablePointcut(new AnnotationMatchingPointcut(null, Cached.class, true))
                    .union(new AnnotationMatchingPointcut(null, CacheInvalidate.class, true)));

    private static final Logger LOG = LoggerFactory.getLogger(PerfCachingAspect.class);

    private final CacheManager manager;
    private final ConcurrentMap<Method, Plan> plans = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    /**
     * An aspect over Perfkit's cache manager.
     *
     * @param manager the cache manager
     */
    public PerfCachingAspect(CacheManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    /** @return how many times caching or invalidation failed (the method still ran) */
    public long failures() {
        return failures.get();
    }

    /**
     * Applies the method's {@code @Cached} or {@code @CacheInvalidate}.
     *
     * @param invocation the invocation
     * @return the cached or computed value, or what the method returned
     * @throws Throwable what the method threw, unchanged
     */
    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = method(invocation);
        if (method.isAnnotationPresent(Cached.class)) {
            return cached(invocation, method);
        }
        if (method.isAnnotationPresent(CacheInvalidate.class)) {
            return invalidate(invocation, method);
        }
        return invocation.proceed();
    }

    private static Method method(MethodInvocation invocation) {
        Object target = invocation.getThis();
        return target == null ? invocation.getMethod()
                : AopUtils.getMostSpecificMethod(invocation.getMethod(), AopUtils.getTargetClass(target));
    }

    private @Nullable Object cached(MethodInvocation pjp, Method method) throws Throwable {
        Plan plan;
        String key;
        try {
            plan = plans.computeIfAbsent(method, this::parse);
            key = plan.key.evaluate(pjp.getArguments(), false);
        } catch (RuntimeException e) {
            failed("preparing a @Cached call", e);
            return pjp.proceed();
        }
        AtomicBoolean invoked = new AtomicBoolean();
        try {
            java.util.function.Function<String, @Nullable Object> loader = k -> {
                invoked.set(true);
                try {
                    return pjp.proceed();
                } catch (Throwable t) {
                    throw new TargetFailure(t);
                }
            };
            return plan.ttl == null ? plan.cache.get(key, loader) : plan.cache.get(key, plan.ttl, loader);
        } catch (TargetFailure f) {
            throw f.getCause();
        } catch (RuntimeException e) {
            if (invoked.get()) {
                throw e;
            }
            failed("reading the cache", e);
            return pjp.proceed();
        }
    }

    private @Nullable Object invalidate(MethodInvocation pjp, Method method) throws Throwable {
        Object result = pjp.proceed();
        try {
            Plan plan = plans.computeIfAbsent(method, this::parse);
            if (plan.allEntries) {
                plan.cache.invalidateAll();
            } else if (plan.pattern) {
                plan.cache.invalidatePattern(plan.key.evaluate(pjp.getArguments(), true));
            } else {
                plan.cache.evict(plan.key.evaluate(pjp.getArguments(), false));
            }
        } catch (RuntimeException e) {
            failed("invalidating", e);
        }
        return result;
    }

    private Plan parse(Method m) {
        Cached cached = m.getAnnotation(Cached.class);
        if (cached != null) {
            Duration ttl = cached.ttl().isBlank() ? null : DurationStyle.detectAndParse(cached.ttl().trim());
            return new Plan(cache(cached.cache()), KeyExpression.parse(cached.key(), m), ttl, false, false);
        }
        CacheInvalidate inv = Objects.requireNonNull(m.getAnnotation(CacheInvalidate.class), "annotation");
        boolean pattern = !inv.pattern().isEmpty();
        String expression = inv.allEntries() ? "" : pattern ? inv.pattern() : inv.key();
        return new Plan(cache(inv.cache()), KeyExpression.parse(expression, m), null, pattern, inv.allEntries());
    }

    @SuppressWarnings("unchecked")
    private MultilevelCache<Object> cache(String name) {
        synchronized (manager) {
            return (MultilevelCache<Object>) manager.get(name)
                    .orElseGet(() -> manager.localCache(name, CacheConfig.ofDefaults()));
        }
    }

    private void failed(String what, RuntimeException e) {
        failures.incrementAndGet();
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("Perfkit: {} failed; the method runs uncached. (Logged once.)", what, e);
        } else {
            LOG.debug("Perfkit: {} failed", what, e);
        }
    }

    private record Plan(MultilevelCache<Object> cache, KeyExpression key, @Nullable Duration ttl, boolean pattern,
                        boolean allEntries) {}

    /** Carries the method's exception through the cache's loader. */
    private static final class TargetFailure extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TargetFailure(Throwable cause) {
            super(cause);
        }
    }
}
