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
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;

/**
 * Applies Perfkit's {@link Cached} and {@link CacheInvalidate} to Spring beans. A cache named by an annotation
 * that the {@link CacheManager} does not have yet is created L1-only with the default configuration. Key
 * expressions are parsed once per method. When the cache itself fails before the method ran (an invalid key,
 * for instance) the method is called directly; a failed invalidation is counted and logged (once), never
 * thrown. The method's own exceptions propagate unchanged.
 *
 * <p>Thread-safe.
 */
@Aspect
public final class PerfCachingAspect {

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
     * Read-through caching of a {@code @Cached} method.
     *
     * @param pjp the join point
     * @return the cached or computed value
     * @throws Throwable what the method threw, unchanged
     */
    @Around("execution(* *(..)) && @annotation(io.github.perfkit.cache.annotation.Cached)")
    public @Nullable Object cached(ProceedingJoinPoint pjp) throws Throwable {
        Plan plan;
        String key;
        try {
            plan = plan(pjp);
            key = plan.key.evaluate(pjp.getArgs(), false);
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

    /**
     * Invalidation after a {@code @CacheInvalidate} method returned normally.
     *
     * @param pjp the join point
     * @return what the method returned
     * @throws Throwable what the method threw, unchanged
     */
    @Around("execution(* *(..)) && @annotation(io.github.perfkit.cache.annotation.CacheInvalidate)")
    public @Nullable Object invalidate(ProceedingJoinPoint pjp) throws Throwable {
        Object result = pjp.proceed();
        try {
            Plan plan = plan(pjp);
            if (plan.allEntries) {
                plan.cache.invalidateAll();
            } else if (plan.pattern) {
                plan.cache.invalidatePattern(plan.key.evaluate(pjp.getArgs(), true));
            } else {
                plan.cache.evict(plan.key.evaluate(pjp.getArgs(), false));
            }
        } catch (RuntimeException e) {
            failed("invalidating", e);
        }
        return result;
    }

    private Plan plan(ProceedingJoinPoint pjp) {
        Method method = ((MethodSignature) pjp.getSignature()).getMethod();
        return plans.computeIfAbsent(method, this::parse);
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
