/**
 * Thread and heap diagnostics: thread dumps with summaries and deadlock detection, heap class histograms and their diff.
 */
@NullMarked
package io.github.perfkit.core.diagnostics;

import org.jspecify.annotations.NullMarked;
