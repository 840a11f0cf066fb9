package io.github.perfkit.core;

/**
 * Identifies the request open on a thread, as returned by {@link Profiler#countQuery()}, so that
 * instrumentation (JDBC) can group its work per request. Immutable.
 *
 * @param id identifier of the request, unique within its profiler and positive
 * @param name the request's name (e.g. {@code GET /orders/{id}})
 * @param startNanos the request's start, in {@link System#nanoTime()} units
 */
public record RequestRef(long id, String name, long startNanos) {}
