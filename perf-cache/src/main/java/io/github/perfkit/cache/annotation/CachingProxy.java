package io.github.perfkit.cache.annotation;

import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.MultilevelCache;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@link Cached} and {@link CacheInvalidate} to an interface with a plain
 * {@link java.lang.reflect.Proxy}, for applications without Spring. Annotations, cache names and
 * key expressions are checked when the proxy is created. The proxy is as thread-safe as the target.
 *
 * <pre>{@code
 * UserRepository repo = CachingProxy.create(UserRepository.class, new JdbcUserRepository(ds), manager);
 * }</pre>
 */
public final class CachingProxy {

    private CachingProxy() {
    }

    /**
     * Wraps a target.
     *
     * @param type the interface
     * @param target the implementation
     * @param manager where the named caches live
     * @param <T> the interface type
     * @return the caching proxy
     * @throws IllegalArgumentException if {@code type} is not an interface, an annotated method
     *         returns a primitive, names a missing cache, or has an invalid key expression
     */
    public static <T> T create(Class<T> type, T target, CacheManager manager) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(manager, "manager");
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface");
        }
        Map<Method, Action> actions = new HashMap<>();
        for (Method m : type.getMethods()) {
            Cached cached = m.getAnnotation(Cached.class);
            CacheInvalidate inv = m.getAnnotation(CacheInvalidate.class);
            if (cached != null && inv != null) {
                throw new IllegalArgumentException(m + " has both @Cached and @CacheInvalidate");
            }
            if (cached != null) {
                if (m.getReturnType().isPrimitive()) {
                    throw new IllegalArgumentException("@Cached " + m + " must return a reference type, not "
                            + m.getReturnType());
                }
                actions.put(m, new Action(cache(manager, cached.cache(), m), KeyExpression.parse(cached.key(), m),
                        false, false, ttl(cached.ttl(), m)));
            } else if (inv != null) {
                boolean hasKey = !inv.key().isEmpty();
                boolean hasPattern = !inv.pattern().isEmpty();
                if ((hasKey ? 1 : 0) + (hasPattern ? 1 : 0) + (inv.allEntries() ? 1 : 0) != 1) {
                    throw new IllegalArgumentException("@CacheInvalidate on " + m
                            + " needs exactly one of key, pattern, allEntries");
                }
                KeyExpression expr = inv.allEntries() ? null
                        : KeyExpression.parse(hasKey ? inv.key() : inv.pattern(), m);
                actions.put(m, new Action(cache(manager, inv.cache(), m), expr, true, hasPattern, null));
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new Handler(target, actions));
        return type.cast(proxy);
    }

    @SuppressWarnings("unchecked")
    private static MultilevelCache<Object> cache(CacheManager manager, String name, Method m) {
        return (MultilevelCache<Object>) manager.get(name).orElseThrow(() -> new IllegalArgumentException(
                m + " names cache '" + name + "', which the CacheManager does not have; create it first"));
    }

    private record Action(MultilevelCache<Object> cache, @Nullable KeyExpression key, boolean invalidate,
                          boolean pattern, @Nullable Duration ttl) {
    }

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private static @Nullable Duration ttl(String text, Method m) {
        if (text.isEmpty()) {
            return null;
        }
        Duration d;
        Matcher simple = SIMPLE_DURATION.matcher(text.trim());
        try {
            if (simple.matches()) {
                long n = Long.parseLong(simple.group(1));
                d = switch (simple.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                d = Duration.parse(text.trim());
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("@Cached ttl '" + text + "' on " + m
                    + " is not a duration like 30s, 5m, 2h, 500ms, 1d or PT5M", e);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("@Cached ttl on " + m + " must be positive, was " + text);
        }
        return d;
    }

    /** Carries a checked exception of the target through the cache's loader. */
    private static final class TargetFailure extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TargetFailure(Throwable cause) {
            super(cause);
        }
    }

    private static final class Handler implements InvocationHandler {
        private final Object target;
        private final Map<Method, Action> actions;

        Handler(Object target, Map<Method, Action> actions) {
            this.target = target;
            this.actions = Map.copyOf(actions);
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
            Object[] a = args == null ? new Object[0] : args;
            Action action = actions.get(method);
            if (action == null) {
                return call(method, a);
            }
            if (!action.invalidate()) {
                String key = Objects.requireNonNull(action.key()).evaluate(a, false);
                try {
                    Duration ttl = action.ttl();
                    Function<String, @Nullable Object> loader = k -> {
                        try {
                            return call(method, a);
                        } catch (RuntimeException | Error e) {
                            throw e;
                        } catch (Throwable t) {
                            throw new TargetFailure(t);
                        }
                    };
                    return ttl == null ? action.cache().get(key, loader) : action.cache().get(key, ttl, loader);
                } catch (TargetFailure f) {
                    throw Objects.requireNonNull(f.getCause());
                }
            }
            Object result = call(method, a);
            KeyExpression expr = action.key();
            if (expr == null) {
                action.cache().invalidateAll();
            } else if (action.pattern()) {
                action.cache().invalidatePattern(expr.evaluate(a, true));
            } else {
                action.cache().evict(expr.evaluate(a, false));
            }
            return result;
        }

        private @Nullable Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw Objects.requireNonNull(e.getCause());
            }
        }
    }
}
