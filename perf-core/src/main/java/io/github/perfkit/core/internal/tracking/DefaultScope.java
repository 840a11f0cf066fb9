package io.github.perfkit.core.internal.tracking;

import io.github.perfkit.core.Scope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

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
    /**
     * Index of this scope's node in the owner's profile, -1 for none, or {@link ThreadContext#LAZY} for a request root
     * whose node is not written yet (see {@link ThreadContext}).
     */
    int node = -1;
    /** Start of a request root, wall clock. */
    long startWallMillis;
    // Tags of a lazy request root, kept in the scope itself (no other memory touched) until its node is written:
    // key, text value (null for a number) and number, at most four.
    int lazyTags;
    @Nullable String lazyKey0;
    @Nullable String lazyKey1;
    @Nullable String lazyKey2;
    @Nullable String lazyKey3;
    @Nullable String lazyText0;
    @Nullable String lazyText1;
    @Nullable String lazyText2;
    @Nullable String lazyText3;
    long lazyNumber0;
    long lazyNumber1;
    long lazyNumber2;
    long lazyNumber3;
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
        clearLazyTags();
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
        if (node != -1 && owner.isOwnerThread() && state() == OPEN) {
            owner.tag(this, key, value, 0);
        }
        return this;
    }

    @Override
    public Scope tag(String key, long value) {
        if (node != -1 && owner.isOwnerThread() && state() == OPEN) {
            owner.tag(this, key, null, value);
        }
        return this;
    }

    /** Owner only: keeps a tag of a lazy root in the scope; false when the inline slots are full. */
    boolean keepLazyTag(String key, @Nullable String text, long number) {
        switch (lazyTags) {
            case 0 -> {
                lazyKey0 = key;
                lazyText0 = text;
                lazyNumber0 = number;
            }
            case 1 -> {
                lazyKey1 = key;
                lazyText1 = text;
                lazyNumber1 = number;
            }
            case 2 -> {
                lazyKey2 = key;
                lazyText2 = text;
                lazyNumber2 = number;
            }
            case 3 -> {
                lazyKey3 = key;
                lazyText3 = text;
                lazyNumber3 = number;
            }
            default -> {
                return false;
            }
        }
        lazyTags++;
        return true;
    }

    /** Owner only: writes the kept tags of a lazy root to its node, now written, and forgets them. */
    void flushLazyTags(ProfileBuilder profile) {
        int n = lazyTags;
        if (n > 0) {
            tagTo(profile, lazyKey0, lazyText0, lazyNumber0);
        }
        if (n > 1) {
            tagTo(profile, lazyKey1, lazyText1, lazyNumber1);
        }
        if (n > 2) {
            tagTo(profile, lazyKey2, lazyText2, lazyNumber2);
        }
        if (n > 3) {
            tagTo(profile, lazyKey3, lazyText3, lazyNumber3);
        }
        clearLazyTags();
    }

    private void tagTo(ProfileBuilder profile, @Nullable String key, @Nullable String text, long number) {
        if (key != null) {
            profile.tag(node, key, text, number);
        }
    }

    /** Owner only: drops the kept tags (the request ended without a tree, or they were written). */
    void clearLazyTags() {
        if (lazyTags > 0) {
            lazyKey0 = lazyKey1 = lazyKey2 = lazyKey3 = null;
            lazyText0 = lazyText1 = lazyText2 = lazyText3 = null;
            lazyTags = 0;
        }
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
