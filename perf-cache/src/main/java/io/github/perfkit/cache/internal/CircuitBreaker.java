package io.github.perfkit.cache.internal;

import io.micrometer.core.instrument.Clock;

/**
 * Consecutive-failure circuit breaker: opens after {@code threshold} failures in a row, lets one
 * probe through after {@code openNanos}, closes when the probe succeeds. Thread-safe; the closed
 * fast path reads one volatile field.
 */
public final class CircuitBreaker {

    /** Breaker states; the ordinal is the gauge value. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long openNanos;
    private final Clock clock;
    private volatile State state = State.CLOSED;
    private volatile int consecutiveFailures;
    private long openedAt;
    private long probeStartedAt;

    /**
     * @param threshold consecutive failures that open the breaker
     * @param openNanos how long the breaker stays open before a probe
     * @param clock monotonic time source
     */
    public CircuitBreaker(int threshold, long openNanos, Clock clock) {
        this.threshold = threshold;
        this.openNanos = openNanos;
        this.clock = clock;
    }

    /** @return whether a call may go ahead now (a half-open probe counts as allowed) */
    public boolean tryAcquire() {
        if (state == State.CLOSED) {
            return true;
        }
        synchronized (this) {
            long now = clock.monotonicTime();
            if ((state == State.OPEN && now - openedAt >= openNanos)
                    || (state == State.HALF_OPEN && now - probeStartedAt >= openNanos)) {
                // A probe that never reported (its thread died) must not keep the breaker half-open forever.
                state = State.HALF_OPEN;
                probeStartedAt = now;
                return true;
            }
            return state == State.CLOSED;
        }
    }

    /** Records a successful call. */
    public void onSuccess() {
        if (state == State.CLOSED && consecutiveFailures == 0) {
            return;
        }
        synchronized (this) {
            consecutiveFailures = 0;
            state = State.CLOSED;
        }
    }

    /** Records a failed call. */
    public synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= threshold)) {
            state = State.OPEN;
            openedAt = clock.monotonicTime();
        }
    }

    /** @return the current state */
    public State state() {
        return state;
    }

    /** @return whether recent calls failed (the breaker is not closed, or failures are accumulating) */
    public boolean degraded() {
        return state != State.CLOSED || consecutiveFailures > 0;
    }
}
