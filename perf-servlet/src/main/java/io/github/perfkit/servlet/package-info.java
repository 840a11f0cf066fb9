/**
 * Servlet filter, WebSocket monitoring, monitoring endpoints (health, readiness, status, Prometheus metrics, JSON APIs) and the live dashboard.
 */
@NullMarked
package io.github.perfkit.servlet;

import org.jspecify.annotations.NullMarked;
