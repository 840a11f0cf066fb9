package io.github.perfkit.servlet.internal;

import io.github.perfkit.servlet.InFlightRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Bounded registry of requests in flight: at most {@code max} entries are kept (the rest are only
 * counted). Thread-safe.
 */
public final class InFlightTracker {

    /** Longest path kept. */
    public static final int MAX_PATH = 256;

    private final int max;
    private final Set<Entry> entries = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger tracked = new AtomicInteger();

    /**
     * @param max most entries kept
     */
    public InFlightTracker(int max) {
        this.max = max;
    }

    /** One request in flight; its thread is kept to take a stack on demand. */
    public static final class Entry {
        final String requestId;
        final String method;
        final String path;
        final long startMillis;
        final long startNanos;
        volatile Thread thread;
        volatile String template = "";
        volatile boolean tracked;

        Entry(String requestId, String method, String path, long startMillis, long startNanos, Thread thread) {
            this.requestId = requestId;
            this.method = method;
            this.path = path;
            this.startMillis = startMillis;
            this.startNanos = startNanos;
            this.thread = thread;
        }

        /** @param template the URI template once known */
        public void template(String template) {
            this.template = template;
        }
    }

    /**
     * Registers a starting request.
     *
     * @param requestId request id
     * @param method HTTP method
     * @param path path
     * @param startMillis wall time
     * @param startNanos monotonic time
     * @return the entry to pass to {@link #end}
     */
    public Entry start(String requestId, String method, String path, long startMillis, long startNanos) {
        String p = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) : path;
        Entry e = new Entry(requestId, method, p, startMillis, startNanos, Thread.currentThread());
        active.incrementAndGet();
        if (tracked.incrementAndGet() <= max) {
            e.tracked = true;
            entries.add(e);
        } else {
            tracked.decrementAndGet();
        }
        return e;
    }

    /**
     * Removes a finished request; safe to call once per entry.
     *
     * @param e the entry
     */
    public void end(Entry e) {
        active.decrementAndGet();
        if (e.tracked && entries.remove(e)) {
            tracked.decrementAndGet();
        }
    }

    /** @return requests in flight, counting those not kept */
    public int active() {
        return active.get();
    }

    /**
     * Snapshot of the kept requests, oldest first.
     *
     * @param nowNanos monotonic now
     * @return the requests
     */
    public List<InFlightRequest> snapshot(long nowNanos) {
        List<Entry> list = new ArrayList<>(entries);
        list.sort(Comparator.comparingLong(e -> e.startNanos));
        List<InFlightRequest> out = new ArrayList<>(list.size());
        for (Entry e : list) {
            out.add(new InFlightRequest(e.requestId, e.method, e.path, e.template, Instant.ofEpochMilli(e.startMillis),
                    Duration.ofNanos(Math.max(0, nowNanos - e.startNanos)), e.thread.getName()));
        }
        return out;
    }

    /**
     * The current stack of the thread serving a request.
     *
     * @param requestId the request id
     * @return the stack, or empty when no such request is in flight
     */
    public Optional<List<StackTraceElement>> stack(String requestId) {
        @Nullable Entry found = null;
        for (Entry e : entries) {
            if (e.requestId.equals(requestId)) {
                found = e;
                break;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(Arrays.asList(found.thread.getStackTrace())));
    }
}
