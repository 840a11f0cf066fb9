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
 * @Cached(cache = "users", key = "user:#id")
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
}
