/** Implementation of the system and JVM collectors and of the cardinality guard; not API. */
@NullMarked
package io.github.perfkit.core.internal.metrics;

import org.jspecify.annotations.NullMarked;
