package io.github.perfkit.core;

import java.time.Instant;

/**
 * The finished profile of one request: its root scope and every scope nested in it on the request's
 * thread, MiniProfiler-style. Immutable.
 *
 * @param id unique id of this profile
 * @param name the request's name (e.g. {@code GET /orders/{id}})
 * @param startTime wall-clock start of the request
 * @param durationNanos request duration in nanoseconds
 * @param root the request's root node
 * @param nodeCount number of nodes kept in the tree
 * @param droppedNodes number of scopes not kept because the tree reached its node cap
 * @param sampled {@code true} when kept by sampling, {@code false} when kept because it was slow
 */
public record ProfileTree(
        String id,
        String name,
        Instant startTime,
        long durationNanos,
        ProfileNode root,
        int nodeCount,
        int droppedNodes,
        boolean sampled) {}
