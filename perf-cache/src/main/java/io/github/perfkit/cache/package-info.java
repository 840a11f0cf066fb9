/**
 * Multilevel cache: Caffeine in-process (L1) and Redis via Lettuce (L2), with pattern invalidation across nodes, stampede protection and graceful degradation.
 */
@NullMarked
package io.github.perfkit.cache;

import org.jspecify.annotations.NullMarked;
