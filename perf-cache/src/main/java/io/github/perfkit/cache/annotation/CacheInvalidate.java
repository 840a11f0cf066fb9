package io.github.perfkit.cache.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Invalidates entries of a named cache after the method returns normally: one key, a pattern, or
 * the whole cache. Values substituted into a pattern are glob-escaped, so arguments can only
 * match themselves.
 *
 * <pre>{@code
 * @CacheInvalidate(cache = "users", pattern = "user:#id:*")
 * void update(long id, User user);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CacheInvalidate {

    /**
     * The cache name.
     *
     * @return the cache name
     */
    String cache();

    /**
     * A key {@link KeyExpression}; empty when {@link #pattern()} or {@link #allEntries()} is used.
     *
     * @return the key expression
     */
    String key() default "";

    /**
     * A glob pattern {@link KeyExpression} (literal parts keep their glob meaning).
     *
     * @return the pattern expression
     */
    String pattern() default "";

    /**
     * Whether to invalidate the whole cache.
     *
     * @return true for the whole cache
     */
    boolean allEntries() default false;
}
