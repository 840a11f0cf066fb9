/** The collection-tick scheduler shared by Perfkit's periodic work; not a public API. */
@NullMarked
package io.github.perfkit.core.internal.schedule;

import org.jspecify.annotations.NullMarked;
