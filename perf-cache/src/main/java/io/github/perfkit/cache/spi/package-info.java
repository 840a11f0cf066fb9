/**
 * Service provider interfaces of the multilevel cache: the remote (L2) tier.
 */
@NullMarked
package io.github.perfkit.cache.spi;

import org.jspecify.annotations.NullMarked;
