/**
 * Implementation of the thread and heap diagnostics: parsing and summarising.
 */
@NullMarked
package io.github.perfkit.core.internal.diagnostics;

import org.jspecify.annotations.NullMarked;
