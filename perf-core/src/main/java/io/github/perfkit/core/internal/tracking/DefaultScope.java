package io.github.perfkit.core.internal.tracking;

import io.github.perfkit.core.Scope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A scope recycled through its owner's {@link ThreadContext} stack.
 *
 * <p>State machine: {@code OPEN} → {@code CLOSED} (closed by the owner thread) or
 * {@code CLOSED_REMOTE} (closed by another thread; the owner pops it later) or {@code DETACHED}
 * (the owner dropped it from its stack while it was still open: abandoned, or handed to another
 * thread). A detached scope still records its sample when it is eventually closed. Transitions away
 * from {@code OPEN} made by a thread other than the owner use compare-and-set.
 */
final class DefaultScope implements Scope {

    static final int CLOSED = 0;
    static final int OPEN = 1;
    static final int CLOSED_REMOTE = 2;
    static final int DETACHED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DefaultScope.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ThreadContext owner;
    DefaultOperation op;
    long startNanos;
    /** End time written by a remote closer before it publishes {@code CLOSED_REMOTE}. */
    long remoteEndNanos;
    /** Index of this scope's node in the owner's profile, or -1. */
    int node = -1;
    /** Whether this scope is the root of a profiled request. */
    boolean requestRoot;
    /** Whether this scope sits in the owner's stack (false beyond the depth cap). */
    boolean stacked;

    @SuppressWarnings("unused") // accessed through STATE
    private int state;

    DefaultScope(ThreadContext owner) {
        this.owner = owner;
    }

    void open(DefaultOperation op, long startNanos, boolean stacked) {
        this.op = op;
        this.startNanos = startNanos;
        this.stacked = stacked;
        this.node = -1;
        this.requestRoot = false;
        STATE.setRelease(this, OPEN);
    }

    int state() {
        return (int) STATE.getAcquire(this);
    }

    /** Owner only: marks a scope it closes itself. */
    void markClosed() {
        STATE.setRelease(this, CLOSED);
    }

    /** Owner only: drops an open scope from the stack. Returns false if another thread closed it first. */
    boolean detach() {
        return STATE.compareAndSet(this, OPEN, DETACHED);
    }

    @Override
    public Scope tag(String key, String value) {
        if (node >= 0 && owner.isOwnerThread() && state() == OPEN) {
            owner.tagNode(node, key, value);
        }
        return this;
    }

    @Override
    public Scope tag(String key, long value) {
        if (node >= 0 && owner.isOwnerThread() && state() == OPEN) {
            owner.tagNode(node, key, value);
        }
        return this;
    }

    @Override
    public long elapsedNanos() {
        int s = state();
        return s == OPEN || s == DETACHED ? System.nanoTime() - startNanos : 0;
    }

    @Override
    public void close() {
        long end = System.nanoTime();
        if (owner.isOwnerThread()) {
            int s = state();
            if (s == OPEN) {
                markClosed();
                owner.closed(this, end - startNanos);
            } else if (s == DETACHED && STATE.compareAndSet(this, DETACHED, CLOSED)) {
                owner.tracker.recordSample(op, end - startNanos);
            }
        } else {
            closeRemote(end);
        }
    }

    private void closeRemote(long end) {
        remoteEndNanos = end;
        if (STATE.compareAndSet(this, OPEN, CLOSED_REMOTE) || STATE.compareAndSet(this, DETACHED, CLOSED)) {
            owner.tracker.recordSample(op, end - startNanos);
        }
    }

    @Override
    public String toString() {
        return "Scope[" + (op == null ? "-" : op.describe()) + ", state=" + state() + "]";
    }
}
