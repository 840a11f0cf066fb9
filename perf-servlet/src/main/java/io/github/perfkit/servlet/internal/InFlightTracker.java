package io.github.perfkit.servlet.internal;

import io.github.perfkit.servlet.InFlightRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Bounded registry of requests in flight: a fixed array of {@code max} slots. A request takes a free
 * slot near a position derived from its thread (one compare-and-set, no allocation beyond its entry,
 * no shared lock or map) and frees it when it ends; when no free slot is found within
 * {@link #PROBES} tries (thousands of requests in flight), it is only counted. Snapshots read the
 * slots without stopping anyone. Thread-safe.
 */
public final class InFlightTracker {

    /** Longest path kept. */
    public static final int MAX_PATH = 256;
    /** Slots tried before a request is left out of the registry (it is still counted). */
    public static final int PROBES = 64;

    private final AtomicReferenceArray<@Nullable Entry> slots;
    private final LongAdder active = new LongAdder();

    /**
     * @param max number of slots, at least 1
     */
    public InFlightTracker(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        this.slots = new AtomicReferenceArray<>(max);
    }

    /** One request in flight; its thread is kept to take a stack on demand. */
    public static final class Entry {
        final String requestId;
        final String method;
        final String path;
        final long startNanos;
        final Thread thread;
        // Written once by the request's thread, read by snapshots: a racy read of an immutable String is safe.
        String template = "";
        int slot = -1;

        Entry(String requestId, String method, String path, long startNanos, Thread thread) {
            this.requestId = requestId;
            this.method = method;
            this.path = path;
            this.startNanos = startNanos;
            this.thread = thread;
        }

        /** @param template the URI template once known */
        public void template(String template) {
            this.template = template;
        }
    }

    /**
     * Registers a request starting now on the current thread.
     *
     * @param requestId the request id
     * @param method the method
     * @param path the raw path (cut to {@link #MAX_PATH})
     * @param startNanos its start, {@link System#nanoTime()}
     * @return the entry to pass to {@link #end(Entry)}
     */
    public Entry start(String requestId, String method, String path, long startNanos) {
        String p = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) : path;
        Thread thread = Thread.currentThread();
        Entry e = new Entry(requestId, method, p, startNanos, thread);
        active.increment();
        int n = slots.length();
        int i = Math.floorMod(System.identityHashCode(thread) * 0x9E3779B9, n);
        for (int k = Math.min(PROBES, n); k > 0; k--) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, e)) {
                e.slot = i;
                break;
            }
            i = i + 1 == n ? 0 : i + 1;
        }
        return e;
    }

    /**
     * Unregisters a request (once; from any thread that saw its start).
     *
     * @param e the entry {@link #start} returned
     */
    public void end(Entry e) {
        active.decrement();
        int i = e.slot;
        if (i >= 0) {
            slots.compareAndSet(i, e, null);
        }
    }

    /** @return requests in flight, counting those not kept */
    public int active() {
        return (int) Math.max(0, active.sum());
    }

    /**
     * The requests kept, oldest first.
     *
     * @param nowNanos {@link System#nanoTime()} now
     * @return a snapshot
     */
    public List<InFlightRequest> snapshot(long nowNanos) {
        List<Entry> list = entries();
        list.sort(Comparator.comparingLong(e -> e.startNanos));
        long nowMillis = System.currentTimeMillis();
        List<InFlightRequest> out = new ArrayList<>(list.size());
        for (Entry e : list) {
            long age = Math.max(0, nowNanos - e.startNanos);
            out.add(new InFlightRequest(e.requestId, e.method, e.path, e.template,
                    Instant.ofEpochMilli(nowMillis - age / 1_000_000), Duration.ofNanos(age), e.thread.getName()));
        }
        return out;
    }

    /**
     * The current stack of the thread serving a request.
     *
     * @param requestId the request id
     * @return the stack, or empty when not in flight or not kept
     */
    public Optional<List<StackTraceElement>> stack(String requestId) {
        for (Entry e : entries()) {
            if (e.requestId.equals(requestId)) {
                return Optional.of(List.copyOf(Arrays.asList(e.thread.getStackTrace())));
            }
        }
        return Optional.empty();
    }

    private List<Entry> entries() {
        List<Entry> list = new ArrayList<>();
        for (int i = 0, n = slots.length(); i < n; i++) {
            Entry e = slots.get(i);
            if (e != null) {
                list.add(e);
            }
        }
        return list;
    }
}
