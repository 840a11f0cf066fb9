package io.github.perfkit.core.internal.jdbc;

import java.util.List;

/**
 * A statement shape with its statistics, resolved once per prepared statement. Thread-safe (the statistics
 * synchronise on themselves).
 */
final class Shape {

    final String text;
    final ShapeStats stats;
    final boolean parameterisedLike;

    Shape(String text, List<String> hints) {
        this.text = text;
        this.stats = new ShapeStats(text, hints);
        this.parameterisedLike = SqlShapes.hasParameterisedLike(text);
    }
}
