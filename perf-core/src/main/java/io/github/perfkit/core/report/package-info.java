/**
 * Self-contained performance reports (HTML with inline SVG charts, and Markdown) for a time window,
 * and before/after comparisons of two snapshots.
 */
@NullMarked
package io.github.perfkit.core.report;

import org.jspecify.annotations.NullMarked;
