package io.github.perfkit.core.internal.tracking;

import io.github.perfkit.core.OperationStats;
import io.github.perfkit.core.PerformanceTracker;
import io.github.perfkit.core.ProfileTree;
import io.github.perfkit.core.RequestRef;
import io.github.perfkit.core.Profiler;
import io.github.perfkit.core.Scope;
import io.github.perfkit.core.TrackerConfig;
import io.micrometer.core.instrument.Clock;
import io.github.perfkit.core.metrics.MetricNames;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker and profiler behind {@code Perf}. See {@link DefaultOperation} for how samples flow.
 *
 * <p>Thread-safe. Recording threads never block: they append to their own buffer, and drain it
 * themselves only if the drain lock is free, otherwise they use the lock-free {@code Recorder} route.
 */
public final class DefaultPerformanceTracker implements PerformanceTracker, Profiler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultPerformanceTracker.class);

    /** Name of the operation that absorbs operations beyond the cap. */
    public static final String OVERFLOW_OPERATION = "perfkit.tracker.overflow";

    private static final MethodHandle IS_VIRTUAL = findIsVirtual();
    private static final long STALE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Below a sampling rate of 1, at most this many trees a second are kept by sampling (slow ones always are). */
    static final int MAX_SAMPLED_TREES_PER_SECOND = 10;
    private static final long SAMPLED_TREE_GAP_NANOS = TimeUnit.SECONDS.toNanos(1) / MAX_SAMPLED_TREES_PER_SECOND;
    private static final VarHandle NEXT_SAMPLED_TREE;

    static {
        try {
            NEXT_SAMPLED_TREE = MethodHandles.lookup().findVarHandle(DefaultPerformanceTracker.class,
                    "nextSampledTreeNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TrackerConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final long slotNanos;
    private final long slowNanos;
    private final String idPrefix;

    private final ThreadLocal<ThreadContext> contexts = ThreadLocal.withInitial(this::newContext);
    private final Set<ThreadContext> buffered = ConcurrentHashMap.newKeySet();
    private final ReentrantLock drainLock = new ReentrantLock();
    /** Where snapshots are assembled (drain lock): readers never write the operations' packed histograms. */
    private final org.HdrHistogram.Histogram scratch = DefaultOperation.newScratchHistogram();
    private final ConcurrentMap<String, DefaultOperation> untagged = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, DefaultOperation> tagged = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>(); // guarded by itself
    private final AtomicInteger operationCount = new AtomicInteger();
    private final DefaultOperation overflow;
    private final TreeStore trees;
    private final AtomicLong treeIds = new AtomicLong();
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicBoolean capLogged = new AtomicBoolean();
    private final AtomicBoolean depthLogged = new AtomicBoolean();
    private final AtomicLong abandonedRequests = new AtomicLong();
    private volatile long lastTickNanos;
    /** The earliest {@link System#nanoTime()} at which the next tree may be kept by sampling (see sampleTree). */
    @SuppressWarnings("unused") // accessed through NEXT_SAMPLED_TREE
    private volatile long nextSampledTreeNanos = System.nanoTime();

    private volatile boolean enabled;
    private volatile double samplingRate;

    public DefaultPerformanceTracker(TrackerConfig config, MeterRegistry registry, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.slotNanos = config.window().toNanos() / config.windowSlots();
        this.slowNanos = config.slowRequestThreshold().toNanos();
        this.enabled = config.enabled();
        this.samplingRate = config.samplingRate();
        this.trees = new TreeStore(config.recentTrees(), config.slowestTrees());
        this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffff, 36) + "-";
        this.overflow = new DefaultOperation(OVERFLOW_OPERATION, Tags.empty(), this, clock.monotonicTime());
        publish(overflow);
        this.lastTickNanos = clock.monotonicTime();
    }

    // ------------------------------------------------------------------ PerformanceTracker

    @Override
    public Scope start(String name) {
        if (!enabled) {
            return Scope.noop();
        }
        DefaultOperation op = untagged.get(Objects.requireNonNull(name, "name"));
        if (op == null) {
            op = resolve(name, Tags.empty());
        }
        return startScope(op, false);
    }

    @Override
    public Scope start(String name, String... tags) {
        if (!enabled) {
            return Scope.noop();
        }
        return startScope(resolve(name, toTags(tags)), false);
    }

    @Override
    public DefaultOperation operation(String name, String... tags) {
        return resolve(name, toTags(tags));
    }

    @Override
    public DefaultOperation operation(String name, Iterable<Tag> tags) {
        return resolve(name, Tags.of(Objects.requireNonNull(tags, "tags")));
    }

    @Override
    public Optional<OperationStats> stats(String name, String... tags) {
        Objects.requireNonNull(name, "name");
        Tags t = toTags(tags);
        DefaultOperation op = t.stream().findAny().isPresent() ? tagged.get(new Key(name, t)) : untagged.get(name);
        return Optional.ofNullable(op).map(this::statsOf);
    }

    @Override
    public List<OperationStats> stats() {
        List<DefaultOperation> all = new ArrayList<>(untagged.values());
        all.addAll(tagged.values());
        List<OperationStats> out = new ArrayList<>(all.size() + 1);
        drainLock.lock();
        try {
            long now = tickLocked();
            if (overflow.totalCount() > 0) { // only known once the buffers are drained
                all.add(overflow);
            }
            for (DefaultOperation op : all) {
                out.add(op.snapshot(now / slotNanos, now, Duration.ofNanos(slotNanos), scratch));
            }
        } finally {
            drainLock.unlock();
        }
        return out;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    // ------------------------------------------------------------------ Profiler

    @Override
    public Scope request(String name) {
        if (!enabled) {
            return Scope.noop();
        }
        DefaultOperation op = untagged.get(Objects.requireNonNull(name, "name"));
        if (op == null) {
            op = resolve(name, Tags.empty());
        }
        return startScope(op, true);
    }

    @Override
    public List<ProfileTree> slowest() {
        return trees.slowest();
    }

    @Override
    public List<ProfileTree> recent() {
        return trees.recent();
    }

    @Override
    public Optional<ProfileTree> find(String id) {
        return trees.find(Objects.requireNonNull(id, "id"));
    }

    @Override
    public @Nullable RequestRef countQuery() {
        if (!enabled) {
            return null;
        }
        return contexts.get().countQuery();
    }

    @Override
    public double samplingRate() {
        return samplingRate;
    }

    @Override
    public void setSamplingRate(double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("samplingRate must be in [0, 1], was " + rate);
        }
        this.samplingRate = rate;
    }

    // ------------------------------------------------------------------ collection

    /**
     * Drains every thread's buffer and advances the sliding windows. Called on every collection
     * tick; readers call it too, so statistics are always current.
     */
    public void tick() {
        drainLock.lock();
        try {
            tickLocked();
        } finally {
            drainLock.unlock();
        }
    }

    /** Number of request trees abandoned because a new request began on the same thread. */
    public long abandonedRequests() {
        return abandonedRequests.get();
    }

    @Override
    public void close() {
        enabled = false;
        synchronized (meters) {
            for (Meter m : meters) {
                registry.remove(m);
            }
            meters.clear();
        }
        buffered.clear();
    }

    // ------------------------------------------------------------------ internals

    /** Slot period of the last rotation (drain lock). */
    private long lastEpoch = Long.MIN_VALUE;

    private long tickLocked() {
        long epochBefore = clock.monotonicTime() / slotNanos;
        if (epochBefore != lastEpoch) {
            // A new slot period: what the operations hold belongs to the previous one.
            untagged.values().forEach(op -> op.advance(epochBefore));
            tagged.values().forEach(op -> op.advance(epochBefore));
            overflow.advance(epochBefore);
            lastEpoch = epochBefore;
        }
        for (ThreadContext c : buffered) {
            c.drain();
            if (!c.isOwnerAlive()) {
                c.drain();
                buffered.remove(c);
            }
        }
        long now = clock.monotonicTime();
        long epoch = now / slotNanos;
        untagged.values().forEach(op -> op.rotate(epoch));
        tagged.values().forEach(op -> op.rotate(epoch));
        overflow.rotate(epoch);
        lastTickNanos = now;
        lastEpoch = epoch;
        return now;
    }

    OperationStats statsOf(DefaultOperation op) {
        drainLock.lock();
        try {
            long now = tickLocked();
            return op.snapshot(now / slotNanos, now, Duration.ofNanos(slotNanos), scratch);
        } finally {
            drainLock.unlock();
        }
    }

    Scope startScope(DefaultOperation op, boolean request) {
        if (!enabled) {
            return Scope.noop();
        }
        ThreadContext c = contexts.get();
        return c.push(op, System.nanoTime(), request);
    }

    /** Records a sample measured elsewhere, from any thread. */
    void recordSample(DefaultOperation op, long nanos) {
        contexts.get().record(op, nanos);
    }

    boolean drainOwnBuffer(ThreadContext c) {
        if (!drainLock.tryLock()) {
            return false;
        }
        try {
            c.drain();
        } finally {
            drainLock.unlock();
        }
        return true;
    }

    /** Whether a request that took {@code nanos} and ended at {@code endNanos} keeps its tree (slow or sampled). */
    boolean keepsTree(long nanos, long endNanos) {
        return nanos >= slowNanos || sampleTree(endNanos);
    }

    /** Builds and stores the tree of the request that just ended on {@code c}'s thread (see {@link #keepsTree}). */
    void requestFinished(ThreadContext c, DefaultOperation op, long nanos) {
        String id = idPrefix + Long.toString(treeIds.incrementAndGet(), 36);
        trees.add(c.profile().build(id, op.describe(), nanos, nanos < slowNanos));
    }

    /**
     * Whether a request that was not slow keeps its tree: a fraction {@link #samplingRate} of requests, and below a
     * rate of 1 at most {@link #MAX_SAMPLED_TREES_PER_SECOND} a second, so a busy server does not build thousands of
     * trees a second that the bounded store drops a moment later. One volatile read for most requests.
     *
     * @param nowNanos {@link System#nanoTime()} at the request's end
     */
    private boolean sampleTree(long nowNanos) {
        double rate = samplingRate;
        if (rate >= 1.0) {
            return true;
        }
        if (rate <= 0.0) {
            return false;
        }
        long next = nextSampledTreeNanos;
        if (nowNanos - next < 0 || ThreadLocalRandom.current().nextDouble() >= rate) {
            return false;
        }
        return NEXT_SAMPLED_TREE.compareAndSet(this, next, nowNanos + SAMPLED_TREE_GAP_NANOS);
    }

    long wallTime() {
        return clock.wallTime();
    }

    long nextRequestId() {
        return requestIds.incrementAndGet();
    }

    void requestAbandoned() {
        abandonedRequests.incrementAndGet();
    }

    void depthExceeded() {
        if (depthLogged.compareAndSet(false, true)) {
            LOG.warn("Perfkit: a thread has more than {} nested scopes open; deeper scopes are still measured but "
                    + "left out of profile trees. A scope that is never closed is the usual cause. "
                    + "(Logged once; see TrackerConfig.maxDepth.)", config.maxDepth());
        }
    }

    int windowSlots() {
        return config.windowSlots();
    }

    int maxTreeNodes() {
        return config.maxTreeNodes();
    }

    int maxDepth() {
        return config.maxDepth();
    }

    private ThreadContext newContext() {
        Thread t = Thread.currentThread();
        boolean virtual = isVirtual(t);
        ThreadContext c = new ThreadContext(this, t, !virtual);
        if (!virtual) {
            buffered.add(c);
        }
        return c;
    }

    private DefaultOperation resolve(String name, Tags tags) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("operation name must not be blank");
        }
        boolean plain = !tags.iterator().hasNext();
        DefaultOperation op = plain ? untagged.get(name) : tagged.get(new Key(name, tags));
        if (op != null) {
            return op;
        }
        if (operationCount.get() >= config.maxOperations()) {
            return overflow(name);
        }
        DefaultOperation created;
        if (plain) {
            created = untagged.computeIfAbsent(name, n -> newOperation(n, tags));
        } else {
            created = tagged.computeIfAbsent(new Key(name, tags), k -> newOperation(name, tags));
        }
        return created == null ? overflow(name) : created;
    }

    private DefaultOperation newOperation(String name, Tags tags) {
        if (operationCount.incrementAndGet() > config.maxOperations()) {
            operationCount.decrementAndGet();
            return null;
        }
        DefaultOperation op = new DefaultOperation(name, tags, this, clock.monotonicTime());
        publish(op);
        return op;
    }

    private DefaultOperation overflow(String name) {
        if (capLogged.compareAndSet(false, true)) {
            LOG.warn("Perfkit: the tracker holds {} operations, its cap; '{}' and every further new operation are "
                    + "recorded as '{}'. Use fewer distinct names or tag values, or raise TrackerConfig.maxOperations. "
                    + "(Logged once.)", config.maxOperations(), name, OVERFLOW_OPERATION);
        }
        return overflow;
    }

    private void publish(DefaultOperation op) {
        try {
            // A name that is no meter name ("GET /users/{id}") would become a metric family of its own in most
            // registries (Prometheus: GET__users__id__seconds): untagged ones share one meter, tagged by name.
            boolean folded = op.tags().stream().findAny().isEmpty() && !isMeterName(op.name());
            FunctionTimer timer = FunctionTimer.builder(folded ? MetricNames.OPERATION : op.name(), op,
                            this::meterCount, this::meterTotalNanos, TimeUnit.NANOSECONDS)
                    .tags(folded ? Tags.of("operation", op.name()) : op.tags())
                    .description("Perfkit tracked operation")
                    .register(registry);
            synchronized (meters) {
                meters.add(timer);
            }
        } catch (RuntimeException e) {
            // A registry may refuse a meter (e.g. a name already used with other tag keys); tracking goes on.
            LOG.warn("Perfkit: could not publish operation '{}' to Micrometer: {}", op.describe(), e.toString());
        }
    }

    /** Letters, digits, dots, dashes and underscores, starting with a letter: what every registry accepts as is. */
    static boolean isMeterName(String name) {
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private long meterCount(DefaultOperation op) {
        refreshIfStale();
        return op.totalCount();
    }

    private double meterTotalNanos(DefaultOperation op) {
        refreshIfStale();
        return op.totalSumNanos();
    }

    private void refreshIfStale() {
        if (clock.monotonicTime() - lastTickNanos > STALE_NANOS && drainLock.tryLock()) {
            try {
                tickLocked();
            } finally {
                drainLock.unlock();
            }
        }
    }

    private static Tags toTags(String[] keyValues) {
        Objects.requireNonNull(keyValues, "tags");
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("tags must be key/value pairs, got an odd number: " + keyValues.length);
        }
        return keyValues.length == 0 ? Tags.empty() : Tags.of(keyValues);
    }

    private static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // Java 17–20: no virtual threads
        }
    }

    private record Key(String name, Tags tags) {}
}
