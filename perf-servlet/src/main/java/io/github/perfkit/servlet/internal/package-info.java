/**
 * Implementation of perf-servlet: URI templates, request ids, the in-flight registry, counting
 * response wrapper, path canonicalisation, access policy and JSON rendering. Not API.
 */
@NullMarked
package io.github.perfkit.servlet.internal;

import org.jspecify.annotations.NullMarked;
