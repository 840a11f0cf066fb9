/** Implementation of Perfkit's continuous diagnosis. Not API: may change without notice. */
@NullMarked
package io.github.perfkit.core.internal.findings;

import org.jspecify.annotations.NullMarked;
