package io.github.perfkit.core.internal.tracking;

import io.github.perfkit.core.RequestRef;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Per-thread tracking state: a single-producer/single-consumer buffer of samples, the stack of open
 * (recycled) scopes and the profile being built for the thread's current request.
 *
 * <p>The owner thread is the only producer. The consumer is whoever holds the tracker's drain lock
 * (the collection tick, a reader, or the owner itself when its buffer is full). {@code tail} is
 * published with release semantics and read with acquire semantics; {@code head} is volatile.
 * Everything else is confined to the owner thread.
 */
final class ThreadContext {

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(ThreadContext.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final int BUFFER_SIZE = 1024;
    /**
     * Node index of a request root not written to the profile yet. A request's root is written only when the tree is
     * needed — a nested scope opens, a query is counted, more than four tags arrive, or the request ends slow or
     * sampled — so a request without nested scopes touches none of the profile's arrays.
     */
    static final int LAZY = -2;

    final DefaultPerformanceTracker tracker;
    private final long ownerId;
    private final WeakReference<Thread> ownerRef;

    // --- sample buffer
    private final long[] values;
    private final DefaultOperation[] ops;
    private final int mask;
    @SuppressWarnings("unused") // accessed through TAIL
    private long tail;
    private volatile long head;
    private long headCache;

    // --- scope stack (owner only)
    private DefaultScope[] stack = new DefaultScope[8];
    private int depth;

    // --- profile of the current request (owner only); null when no request is open
    private ProfileBuilder profile;
    private int rootDepth = -1;

    ThreadContext(DefaultPerformanceTracker tracker, Thread owner, boolean buffered) {
        this.tracker = tracker;
        this.ownerId = owner.getId();
        this.ownerRef = new WeakReference<>(owner);
        int size = buffered ? BUFFER_SIZE : 0;
        this.values = new long[size];
        this.ops = new DefaultOperation[size];
        this.mask = size - 1;

    }

    boolean isOwnerThread() {
        return Thread.currentThread().getId() == ownerId;
    }

    boolean isOwnerAlive() {
        Thread t = ownerRef.get();
        return t != null && t.isAlive();
    }

    // ------------------------------------------------------------------ samples

    /** Owner only. */
    void record(DefaultOperation op, long nanos) {
        long t = tail;
        if (t - headCache >= values.length) {
            headCache = head;
            if (t - headCache >= values.length) {
                if (values.length == 0 || !tracker.drainOwnBuffer(this)) {
                    op.recordConcurrent(nanos);
                    return;
                }
                headCache = head;
            }
        }
        int i = (int) t & mask;
        ops[i] = op;
        values[i] = nanos;
        TAIL.setRelease(this, t + 1);
    }

    /** Drain lock held. Moves every published sample into its operation. */
    void drain() {
        long t = (long) TAIL.getAcquire(this);
        long h = head;
        if (h == t) {
            return;
        }
        for (; h < t; h++) {
            int i = (int) h & mask;
            ops[i].aggregate(values[i]);
        }
        head = t;
    }

    // ------------------------------------------------------------------ scopes

    /** Owner only. Opens a scope of {@code op}, started at {@code startNanos}. */
    DefaultScope push(DefaultOperation op, long startNanos, boolean request) {
        if (depth > 0) {
            popRemotelyClosed();
        }
        if (request) {
            if (rootDepth >= 0) {
                abandonRequest();
            }
        }
        if (depth >= tracker.maxDepth()) {
            tracker.depthExceeded();
            DefaultScope loose = new DefaultScope(this);
            loose.open(op, startNanos, false);
            return loose;
        }
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, Math.min(stack.length * 2, tracker.maxDepth()));
        }
        DefaultScope s = stack[depth];
        if (s == null) {
            s = stack[depth] = new DefaultScope(this);
        }
        s.open(op, startNanos, true);
        if (request) {
            rootDepth = depth;
            s.requestRoot = true;
            s.node = LAZY;
            s.startWallMillis = tracker.wallTime();
        } else if (rootDepth >= 0) {
            int parent = depth - 1 > rootDepth ? stack[depth - 1].node : rootNode();
            s.node = profile.add(op, parent, startNanos);
        }
        depth++;
        return s;
    }

    /** Owner only. Called by a scope the owner closed itself, after it was marked closed. */
    void closed(DefaultScope s, long nanos) {
        record(s.op, nanos);
        if (!s.stacked) {
            return;
        }
        if (depth > 0 && stack[depth - 1] == s) {
            depth--;
            finish(s, nanos);
            if (depth > 0) {
                popRemotelyClosed();
            }
            return;
        }
        closeOutOfOrder(s, nanos);
    }

    private void closeOutOfOrder(DefaultScope s, long nanos) {
        int i = depth - 1;
        while (i >= 0 && stack[i] != s) {
            i--;
        }
        if (i < 0) {
            return; // already dropped from the stack
        }
        truncate(i + 1);
        depth = i;
        finish(s, nanos);
    }

    /** Drops every stack entry at index {@code from} and above; they may be held by other code. */
    private void truncate(int from) {
        for (int j = depth - 1; j >= from; j--) {
            DefaultScope child = stack[j];
            if (child.state() == DefaultScope.CLOSED_REMOTE) {
                finish(child, child.remoteEndNanos - child.startNanos);
            } else {
                child.detach();
                if (child.requestRoot) {
                    rootDepth = -1;
                    profile().reset();
                }
            }
            // Whoever holds the old object may still close it: never recycle it.
            stack[j] = new DefaultScope(this);
        }
    }

    private void finish(DefaultScope s, long nanos) {
        if (s.node >= 0 && rootDepth >= 0) {
            profile.end(s.node, nanos);
        }
        if (s.requestRoot) {
            boolean lazy = s.node == LAZY;
            if (tracker.keepsTree(nanos, s.startNanos + nanos)) {
                if (lazy) {
                    write(s);
                    if (s.node >= 0) {
                        profile.end(s.node, nanos);
                    }
                }
                tracker.requestFinished(this, s.op, nanos);
                profile.reset();
            } else if (lazy) {
                s.clearLazyTags();
            } else {
                profile().reset();
            }
            rootDepth = -1;
        }
    }

    /** Writes a lazy request root to the profile, with the tags it kept; the profile was reset. */
    private void write(DefaultScope root) {
        ProfileBuilder p = profile();
        root.node = p.begin(root.op, root.startNanos);
        p.startWallMillis = root.startWallMillis;
        root.flushLazyTags(p);
    }

    /** Owner only, a request open: the root's node, written first if still lazy. */
    private int rootNode() {
        DefaultScope root = stack[rootDepth];
        if (root.node == LAZY) {
            write(root);
        }
        return profile.rootNode();
    }

    /** Pops scopes on top of the stack that other threads closed. */
    private void popRemotelyClosed() {
        while (depth > 0) {
            DefaultScope top = stack[depth - 1];
            if (top.state() != DefaultScope.CLOSED_REMOTE) {
                return;
            }
            depth--;
            stack[depth] = new DefaultScope(this);
            finish(top, top.remoteEndNanos - top.startNanos);
        }
    }

    private void abandonRequest() {
        tracker.requestAbandoned();
        int from = rootDepth;
        rootDepth = -1;
        profile().reset();
        truncate(from);
        depth = from;
    }

    /** Owner only: tags an open scope's node ({@code text} null for a number). */
    void tag(DefaultScope s, String key, @Nullable String text, long number) {
        if (s.node == LAZY) {
            if (s.keepLazyTag(key, text, number)) {
                return;
            }
            write(s);
        }
        if (s.node >= 0) {
            profile.tag(s.node, key, text, number);
        }
    }

    /** Owner only: the profile arrays, allocated on the thread's first request. */
    ProfileBuilder profile() {
        ProfileBuilder p = profile;
        if (p == null) {
            p = profile = new ProfileBuilder(tracker.maxTreeNodes());
        }
        return p;
    }

    /**
     * Owner only: counts a database query against the innermost open scope of the current request.
     *
     * @return the current request, or null when none is open
     */
    @Nullable RequestRef countQuery() {
        if (rootDepth < 0 || depth == 0) {
            return null;
        }
        DefaultScope innermost = stack[depth - 1];
        if (innermost.node == LAZY) {
            write(innermost);
        }
        ProfileBuilder p = profile();
        p.addQuery(innermost.node);
        RequestRef ref = p.ref;
        if (ref == null) {
            DefaultScope root = stack[rootDepth];
            ref = p.ref = new RequestRef(tracker.nextRequestId(), root.op.name(), root.startNanos);
        }
        return ref;
    }

    int depth() {
        return depth;
    }
}
