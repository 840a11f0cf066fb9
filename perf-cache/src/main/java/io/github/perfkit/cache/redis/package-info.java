/**
 * The Redis remote tier through Lettuce; the only package of perf-cache that uses Lettuce.
 */
@NullMarked
package io.github.perfkit.cache.redis;

import org.jspecify.annotations.NullMarked;
