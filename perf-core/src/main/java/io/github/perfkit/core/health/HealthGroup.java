package io.github.perfkit.core.health;

/**
 * The group a health check belongs to; a check may belong to both. Immutable and thread-safe.
 */
public enum HealthGroup {
    /**
     * Liveness ({@code /health}): is the process working at all? A failing liveness check means the
     * application should be restarted, so only checks that a restart fixes belong here (e.g. deadlocks).
     */
    LIVENESS,
    /**
     * Readiness ({@code /ready}): can the application serve traffic now? The default group of a check.
     */
    READINESS
}
