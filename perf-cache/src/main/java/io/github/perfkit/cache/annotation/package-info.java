/**
 * {@link io.github.perfkit.cache.annotation.Cached @Cached} and
 * {@link io.github.perfkit.cache.annotation.CacheInvalidate @CacheInvalidate} on interface methods,
 * applied by {@link io.github.perfkit.cache.annotation.CachingProxy} (the Spring aspect comes with
 * the Spring module), with keys from a small, safe {@link io.github.perfkit.cache.annotation.KeyExpression}.
 */
@NullMarked
package io.github.perfkit.cache.annotation;

import org.jspecify.annotations.NullMarked;
