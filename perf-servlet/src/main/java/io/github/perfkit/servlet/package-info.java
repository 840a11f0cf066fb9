/**
 * Servlet integration: {@link io.github.perfkit.servlet.PerfFilter} (per-request metrics, request
 * ids, profile scopes, in-flight registry) and {@link io.github.perfkit.servlet.PerfEndpointsServlet}
 * (health, readiness, status, Prometheus metrics and JSON APIs).
 */
@NullMarked
package io.github.perfkit.servlet;

import org.jspecify.annotations.NullMarked;
