package io.github.perfkit.cache.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the method's result in a named cache: read-through with single-flight; a null result is
 * cached as absent when the cache caches nulls. The method must return a reference type.
 *
 * <pre>{@code
 * @Cached(cache = "users", key = "user:#id", ttl = "10m")
 * User find(long id);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Cached {

    /**
     * The cache name, created beforehand on the {@link io.github.perfkit.cache.CacheManager}.
     *
     * @return the cache name
     */
    String cache();

    /**
     * The key as a {@link KeyExpression}, e.g. {@code "user:#0"} or {@code "user:#user.id"}; empty
     * joins every argument with {@code ':'}.
     *
     * @return the key expression
     */
    String key() default "";

    /**
     * Time to live of values stored by this method, e.g. {@code "30s"}, {@code "5m"}, {@code "2h"},
     * {@code "500ms"}, {@code "1d"} or ISO-8601 {@code "PT5M"}; empty uses the cache's configuration.
     *
     * @return the time to live
     */
    String ttl() default "";
}
