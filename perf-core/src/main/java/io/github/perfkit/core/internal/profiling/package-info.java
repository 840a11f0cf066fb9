/** Implementation of Perfkit's JFR capture and analysis. Not API: may change without notice. */
@NullMarked
package io.github.perfkit.core.internal.profiling;

import org.jspecify.annotations.NullMarked;
