/** Implementation of the health registry and the built-in health checks; not a public API. */
@NullMarked
package io.github.perfkit.core.internal.health;

import org.jspecify.annotations.NullMarked;
