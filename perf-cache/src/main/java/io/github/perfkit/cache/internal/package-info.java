/**
 * Implementation of the multilevel cache; not API, may change without notice.
 */
@NullMarked
package io.github.perfkit.cache.internal;

import org.jspecify.annotations.NullMarked;
