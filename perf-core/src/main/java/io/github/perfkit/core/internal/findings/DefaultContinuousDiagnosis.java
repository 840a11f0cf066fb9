package io.github.perfkit.core.internal.findings;

import io.github.perfkit.core.diagnostics.ClassDelta;
import io.github.perfkit.core.diagnostics.HeapDiagnostics;
import io.github.perfkit.core.diagnostics.HeapHistogram;
import io.github.perfkit.core.diagnostics.HistogramDiff;
import io.github.perfkit.core.diagnostics.ThreadDiagnostics;
import io.github.perfkit.core.findings.ContinuousDiagnosis;
import io.github.perfkit.core.findings.DiagnosisConfig;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.findings.FindingCategory;
import io.github.perfkit.core.findings.FindingListener;
import io.micrometer.core.instrument.Clock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContinuousDiagnosis} on a {@link RecordingStream}. Events are accumulated into the current
 * window on the stream's thread; at the first flush after the window has elapsed the window is
 * judged, on the same thread, so the accumulators need no locking. Findings and listeners are shared
 * with callers and guarded by {@code lock} / copy-on-write.
 */
public final class DefaultContinuousDiagnosis implements ContinuousDiagnosis {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultContinuousDiagnosis.class);
    static final Duration CPU_PERIOD = Duration.ofMillis(20);
    static final Duration LOCK_THRESHOLD = Duration.ofMillis(20);
    static final int MAX_KEYS = 10_000;

    private final DiagnosisConfig config;
    private final Clock clock;
    private final Object lock = new Object();
    private final LinkedHashMap<String, Finding> findings = new LinkedHashMap<>(); // lock; insertion = recency
    private final List<FindingListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<FindingListener> failedListeners = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private @Nullable RecordingStream stream; // lock
    private boolean closed; // lock
    private boolean starting; // lock: a start() is opening the stream outside the lock

    // Stream thread only.
    private Window window = new Window();
    private long windowStartNanos = System.nanoTime();
    /** Written by the judging thread only; read by anyone. */
    private volatile int windowIndex;
    private final Map<String, Double> baselines = new HashMap<>();
    private final Map<String, Integer> streaks = new HashMap<>();
    private final Map<String, Integer> misses = new HashMap<>();
    private final Map<String, java.util.ArrayDeque<Integer>> threadsByPrefix = new HashMap<>();
    private final Map<String, Map<String, Acc>> creatorsByPrefix = new HashMap<>();
    private final Map<String, Map<String, Acc>> sitesByClass = new HashMap<>();
    private static final int MAX_SITES_PER_CLASS = 16;
    private final java.util.ArrayDeque<double[]> heapAfterGc = new java.util.ArrayDeque<>(); // {seconds, bytes}
    private double elapsedSeconds;
    private int windowsWithoutTrend;
    private @Nullable HeapHistogram heapBaseline;
    private final OldObjectSampler oldObjects = new OldObjectSampler();
    private OldObjectSampler.@Nullable Result lastOld;
    private @Nullable HistogramDiff lastDiff;
    private int windowsSinceHistogram = Integer.MAX_VALUE;
    private final HeapDiagnostics heap = HeapDiagnostics.ofDefaults();

    /**
     * @param config thresholds and windows
     * @param clock time stamps
     */
    public DefaultContinuousDiagnosis(DiagnosisConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public long windowsJudged() {
        return windowIndex;
    }

    @Override
    public boolean learning() {
        return windowIndex < config.learningWindows();
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the diagnosis is closed");
            }
            if (stream != null || starting) {
                return;
            }
            starting = true;
        }
        // JFR's first start takes a few hundred milliseconds: outside the lock, so a close() meanwhile (an application
        // stopped right after it started) returns at once and this thread closes the stream it was starting.
        RecordingStream s = null;
        try {
            s = new RecordingStream();
            s.enable("jdk.ExecutionSample").withPeriod(CPU_PERIOD);
            s.enable("jdk.ObjectAllocationSample").with("throttle", "150/s").withStackTrace();
            s.enable("jdk.JavaMonitorEnter").withThreshold(LOCK_THRESHOLD).withStackTrace();
            s.enable("jdk.ThreadPark").withThreshold(LOCK_THRESHOLD).withStackTrace();
            s.enable("jdk.ThreadStart").withStackTrace();
            s.enable("jdk.GCHeapSummary");
            s.setReuse(true);
            s.setOrdered(false);
            s.onEvent("jdk.ExecutionSample", guarded(this::cpu));
            s.onEvent("jdk.ObjectAllocationSample", guarded(this::allocation));
            s.onEvent("jdk.JavaMonitorEnter", guarded(e -> lockWait(e, e.getClass("monitorClass"))));
            s.onEvent("jdk.ThreadPark", guarded(e -> {
                RecordedClass blocker = e.getClass("parkedClass");
                if (isContention(blocker)) {
                    lockWait(e, blocker);
                }
            }));
            s.onEvent("jdk.ThreadStart", guarded(this::threadStart));
            s.onEvent("jdk.GCHeapSummary", guarded(this::heapSummary));
            s.onFlush(this::onFlush);
            windowStartNanos = System.nanoTime();
            s.startAsync();
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                starting = false;
            }
            if (s != null) {
                s.close();
            }
            throw e;
        }
        boolean closedMeanwhile;
        synchronized (lock) {
            starting = false;
            closedMeanwhile = closed;
            if (!closedMeanwhile) {
                stream = s;
            }
        }
        if (closedMeanwhile) {
            s.close();
        }
    }

    /** @return whether the JFR stream is open (started and not closed); for tests */
    boolean streaming() {
        synchronized (lock) {
            return stream != null;
        }
    }

    @Override
    public List<Finding> active() {
        return snapshot(true);
    }

    @Override
    public List<Finding> all() {
        return snapshot(false);
    }

    private List<Finding> snapshot(boolean activeOnly) {
        expireReported();
        List<Finding> out = new ArrayList<>();
        synchronized (lock) {
            for (Finding f : findings.values()) {
                if (!activeOnly || f.active()) {
                    out.add(f);
                }
            }
        }
        out.sort(Comparator.comparing(Finding::lastSeen).reversed());
        return out;
    }

    /**
     * Findings other detectors report (the JDBC wrapper's N+1 and slow statements) hold while they are
     * reported again; one not seen for {@value #REPORTED_STALE_WINDOWS} windows (5 minutes at the shipped
     * 15 s) has gone away and is resolved, which the listeners hear like any resolution.
     */
    private void expireReported() {
        Instant now = Instant.ofEpochMilli(clock.wallTime());
        Instant cutoff = now.minus(config.window().multipliedBy(REPORTED_STALE_WINDOWS));
        List<Finding> stale = new ArrayList<>();
        synchronized (lock) {
            for (Finding f : findings.values()) {
                if (f.active() && !isOwn(f.category()) && f.lastSeen().isBefore(cutoff)) {
                    stale.add(f);
                }
            }
        }
        for (Finding f : stale) {
            report(f.resolved(now));
        }
    }

    /** Windows without a new report after which a reported finding is resolved. */
    static final int REPORTED_STALE_WINDOWS = 20;

    @Override
    public void report(Finding finding) {
        Objects.requireNonNull(finding, "finding");
        boolean isNew;
        synchronized (lock) {
            Finding previous = findings.remove(finding.id());
            isNew = previous == null || previous.active() != finding.active();
            Finding stored = previous != null && previous.firstSeen().isBefore(finding.firstSeen())
                    ? new Finding(finding.id(), finding.category(), finding.culprit(), finding.subject(), finding.evidence(),
                            finding.sampleStack(), previous.firstSeen(), finding.lastSeen(), finding.recommendation(),
                            finding.active())
                    : finding;
            findings.put(stored.id(), stored);
            trim();
        }
        if (isNew) {
            notifyListeners(finding);
        }
    }

    @Override
    public void addListener(FindingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(FindingListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        RecordingStream s;
        synchronized (lock) {
            closed = true;
            s = stream;
            stream = null;
        }
        if (s != null) {
            s.close();
        }
        synchronized (oldObjects) {
            oldObjects.stop();
        }
    }

    // ------------------------------------------------------------------ stream thread

    private java.util.function.Consumer<RecordedEvent> guarded(java.util.function.Consumer<RecordedEvent> handler) {
        return e -> {
            try {
                handler.accept(e);
            } catch (RuntimeException ex) {
                LOG.debug("Perfkit: diagnosis could not read a {} event", e.getEventType().getName(), ex);
            }
        };
    }

    private void cpu(RecordedEvent e) {
        window.cpuSamples++;
        RecordedStackTrace trace = e.getStackTrace();
        String culprit = culprit(trace);
        if (culprit != null) {
            window.add(window.cpu, culprit, 1, trace);
        }
    }

    private void allocation(RecordedEvent e) {
        long weight = e.getLong("weight");
        window.allocatedBytes += weight;
        RecordedStackTrace trace = e.getStackTrace();
        String culprit = culprit(trace);
        if (culprit != null) {
            window.add(window.allocation, culprit, weight, trace);
            RecordedClass type = e.getClass("objectClass");
            if (type != null) {
                Map<String, Acc> sites = sitesByClass.get(type.getName());
                if (sites == null && sitesByClass.size() < MAX_KEYS) {
                    sites = new HashMap<>();
                    sitesByClass.put(type.getName(), sites);
                }
                if (sites != null) {
                    if (sites.size() >= MAX_SITES_PER_CLASS && !sites.containsKey(culprit)) {
                        // Make room: the site that allocated least lately goes (amounts shrink 16-fold every window).
                        String least = null;
                        long leastAmount = Long.MAX_VALUE;
                        for (Map.Entry<String, Acc> en : sites.entrySet()) {
                            if (en.getValue().amount < leastAmount) {
                                leastAmount = en.getValue().amount;
                                least = en.getKey();
                            }
                        }
                        sites.remove(least);
                    }
                    window.add(sites, culprit, weight, trace);
                }
            }
        }
    }

    private void heapSummary(RecordedEvent e) {
        if ("After GC".equals(e.getString("when"))) {
            long used = e.getLong("heapUsed");
            window.heapAfterGc = window.heapAfterGc < 0 ? used : Math.min(window.heapAfterGc, used);
        }
    }

    /**
     * Parking is contention only on a lock (or permits); waiting for a signal — a latch, a condition, a future, a
     * queue's next element, a pool's next task, or a bare {@code park} without a blocker — is a thread with nothing
     * to do, however long it waits.
     */
    static boolean isContention(@Nullable RecordedClass blocker) {
        return blocker != null && isContention(blocker.getName());
    }

    /**
     * Whether parking on a blocker of this class is lock contention: the JDK's locks, semaphores and other
     * synchronizers except those that wait for a signal, and application classes that look like locks (their
     * simple name says Lock, Sync, Mutex or Semaphore, as AQS-based locks do). Any other application object passed
     * as a blocker (e.g. {@code parkNanos(this, wait)} to pace a loop) marks a thread waiting for its time, not for
     * a lock.
     *
     * @param name the blocker's class name
     * @return true when contention
     */
    static boolean isContention(String name) {
        for (String idle : IDLE_WAITS) {
            if (name.startsWith(idle)) {
                return false;
            }
        }
        if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")) {
            return true;
        }
        String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        return simple.contains("lock") || simple.contains("sync") || simple.contains("mutex")
                || simple.contains("semaphore");
    }

    private static final List<String> IDLE_WAITS = List.of(
            "java.util.concurrent.CountDownLatch", "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject",
            "java.util.concurrent.locks.AbstractQueuedLongSynchronizer$ConditionObject", "java.util.concurrent.FutureTask",
            "java.util.concurrent.CompletableFuture", "java.util.concurrent.SynchronousQueue",
            "java.util.concurrent.LinkedTransferQueue", "java.util.concurrent.Exchanger", "java.util.concurrent.Phaser",
            "java.util.concurrent.ForkJoin", "java.util.concurrent.CyclicBarrier", "java.lang.Thread",
            "java.lang.VirtualThread");

    private void lockWait(RecordedEvent e, @Nullable RecordedClass monitor) {
        RecordedStackTrace trace = e.getStackTrace();
        String culprit = culprit(trace);
        if (culprit != null) {
            String key = culprit + "\n" + (monitor == null ? "(unknown)" : monitor.getName());
            window.add(window.locks, key, e.getDuration().toNanos(), trace);
        }
    }

    private void threadStart(RecordedEvent e) {
        jdk.jfr.consumer.RecordedThread started = e.getThread("thread");
        if (started == null || started.getJavaName() == null) {
            return;
        }
        String prefix = ThreadDiagnostics.namePrefix(started.getJavaName());
        Map<String, Acc> creators = creatorsByPrefix.get(prefix);
        if (creators == null) {
            if (creatorsByPrefix.size() >= MAX_KEYS) {
                return;
            }
            creators = new HashMap<>();
            creatorsByPrefix.put(prefix, creators);
        }
        RecordedStackTrace trace = e.getStackTrace();
        String culprit = culprit(trace);
        if (culprit != null) {
            window.add(creators, culprit, 1, trace);
        }
    }

    private void onFlush() {
        long now = System.nanoTime();
        long elapsed = now - windowStartNanos;
        if (elapsed < config.window().toNanos()) {
            return;
        }
        Window closedWindow = window;
        window = new Window();
        windowStartNanos = now;
        try {
            judge(closedWindow, elapsed / 1e9);
        } catch (RuntimeException ex) {
            LOG.warn("Perfkit: the diagnosis could not judge a window; it goes on with the next one", ex);
        }
        ageSites();
    }

    /**
     * Divides what every allocation site has allocated, per class, by 16 once a window (mostly the last window
     * counts), and forgets sites that no longer allocate: the site named for a leaking class is the one allocating
     * it lately, not one that allocated far more of it at start-up (a class loader's {@code byte[]}, say).
     */
    private void ageSites() {
        for (var classes = sitesByClass.values().iterator(); classes.hasNext(); ) {
            Map<String, Acc> sites = classes.next();
            sites.values().removeIf(acc -> (acc.amount /= 16) == 0);
            if (sites.isEmpty()) {
                classes.remove();
            }
        }
    }

    /** Judges one window: candidates per category, persistence, margins over the baselines, resolution. */
    void judge(Window w, double seconds) {
        int index = windowIndex + 1;
        windowIndex = index;
        boolean learning = index <= config.learningWindows();
        Set<String> holding = new HashSet<>();
        Map<String, Finding> candidates = new HashMap<>();
        Instant now = Instant.ofEpochMilli(clock.wallTime());

        for (Map.Entry<String, Acc> c : w.cpu.entrySet()) {
            double share = c.getValue().amount / (double) Math.max(1, w.cpuSamples);
            double cores = c.getValue().amount * (CPU_PERIOD.toNanos() / 1e9) / seconds;
            String id = Finding.idOf(FindingCategory.CPU_HOTSPOT, c.getKey(), null);
            boolean floor = share >= config.cpuShare() && cores >= config.cpuMinCores();
            judgeCandidate(id, share, floor, learning, holding, candidates, () -> new Finding(id,
                    FindingCategory.CPU_HOTSPOT, c.getKey(), null,
                    Map.of("cpuShare", round(share), "cores", round(cores), "samples", c.getValue().amount,
                            "baselineShare", round(baselines.getOrDefault(id, 0.0)), "windowSeconds", round(seconds)),
                    c.getValue().stack, now, now,
                    String.format(Locale.ROOT, "%s took %.0f%% of the CPU samples (%.2f cores) over the last %.0f s, "
                                    + "against %.0f%% normally. Look at the loops and the size of the data this method "
                                    + "works on; the sample stack shows how it is reached.",
                            c.getKey(), share * 100, cores, seconds, baselines.getOrDefault(id, 0.0) * 100),
                    true));
        }
        for (Map.Entry<String, Acc> c : w.allocation.entrySet()) {
            double share = c.getValue().amount / (double) Math.max(1, w.allocatedBytes);
            double rate = c.getValue().amount / seconds;
            String id = Finding.idOf(FindingCategory.ALLOCATION_PRESSURE, c.getKey(), null);
            boolean floor = share >= config.allocationShare() && rate >= config.allocationMinBytesPerSecond();
            judgeCandidate(id, share, floor, learning, holding, candidates, () -> new Finding(id,
                    FindingCategory.ALLOCATION_PRESSURE, c.getKey(), null,
                    Map.of("allocationShare", round(share), "bytesPerSecond", Math.round(rate),
                            "baselineShare", round(baselines.getOrDefault(id, 0.0)), "windowSeconds", round(seconds)),
                    c.getValue().stack, now, now,
                    String.format(Locale.ROOT, "%s allocated %.0f%% of the sampled memory (%.1f MB/s) over the last "
                                    + "%.0f s, against %.0f%% normally, which drives the garbage collector. Reuse buffers, "
                                    + "avoid copies and boxing in this method, or size its collections up front.",
                            c.getKey(), share * 100, rate / 1e6, seconds, baselines.getOrDefault(id, 0.0) * 100),
                    true));
        }
        for (Map.Entry<String, Acc> c : w.locks.entrySet()) {
            String[] parts = c.getKey().split("\n", 2);
            double waitSeconds = c.getValue().amount / 1e9;
            double fraction = waitSeconds / seconds;
            String id = Finding.idOf(FindingCategory.LOCK_CONTENTION, parts[0], parts[1]);
            boolean floor = fraction >= config.lockWaitFraction();
            // The "share" of a lock is its waiting as a fraction of the window, capped at 1 for the baseline.
            judgeCandidate(id, Math.min(1, fraction), floor, learning, holding, candidates, () -> new Finding(id,
                    FindingCategory.LOCK_CONTENTION, parts[0], parts[1],
                    Map.of("waitSeconds", round(waitSeconds), "waits", c.getValue().events,
                            "waitFraction", round(fraction), "windowSeconds", round(seconds)),
                    c.getValue().stack, now, now,
                    String.format(Locale.ROOT, "Threads waited %.1f s in total (%d times) on a %s lock in %s over the "
                                    + "last %.0f s. Shorten the section that holds it (no I/O or sleeping inside), split "
                                    + "it, or use a concurrent structure instead.",
                            waitSeconds, c.getValue().events, parts[1], parts[0], seconds),
                    true));
        }
        deadlocks(now, holding, candidates);
        threadLeaks(now, seconds, learning, holding, candidates);
        memoryLeak(w, now, seconds, learning, holding, candidates);
        settle(now, holding, candidates, learning);
    }

    private void judgeCandidate(String id, double share, boolean floor, boolean learning, Set<String> holding,
            Map<String, Finding> candidates, java.util.function.Supplier<Finding> finding) {
        double baseline = baselines.getOrDefault(id, 0.0);
        boolean active = isActive(id);
        if (learning) {
            if (baselines.size() < MAX_KEYS || baselines.containsKey(id)) {
                baselines.put(id, Math.max(baseline, share));
            }
            return;
        }
        boolean qualifies = active ? floor : floor && share >= baseline + config.margin();
        if (qualifies) {
            holding.add(id);
            candidates.put(id, finding.get());
        } else if (!active && (baselines.size() < MAX_KEYS || baselines.containsKey(id))) {
            baselines.put(id, baseline * 0.7 + share * 0.3); // the application's own normal, learned slowly
        }
    }

    private void deadlocks(Instant now, Set<String> holding, Map<String, Finding> candidates) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] ids = threads.findDeadlockedThreads();
        if (ids == null) {
            return;
        }
        ThreadInfo[] infos = threads.getThreadInfo(ids, true, true);
        List<String> names = new ArrayList<>();
        String culprit = null;
        List<String> stack = List.of();
        Set<String> locks = new HashSet<>();
        for (ThreadInfo info : infos) {
            if (info == null) {
                continue;
            }
            names.add(info.getThreadName());
            if (info.getLockName() != null) {
                locks.add(info.getLockName().replaceAll("@[0-9a-f]+$", ""));
            }
            if (culprit == null) {
                for (StackTraceElement el : info.getStackTrace()) {
                    String frame = el.getClassName() + "." + el.getMethodName();
                    if (!isFramework(el.getClassName())) {
                        culprit = frame;
                        stack = java.util.Arrays.stream(info.getStackTrace())
                                .map(s -> s.getClassName() + "." + s.getMethodName()).limit(Finding.MAX_STACK).toList();
                        break;
                    }
                }
            }
        }
        if (culprit == null || names.isEmpty()) {
            return;
        }
        names.sort(null);
        String subject = String.join(",", new java.util.TreeSet<>(locks));
        String id = Finding.idOf(FindingCategory.DEADLOCK, culprit, subject);
        holding.add(id);
        streaks.put(id, config.persistenceWindows()); // a deadlock never resolves by itself: no persistence needed
        candidates.put(id, new Finding(id, FindingCategory.DEADLOCK, culprit, subject,
                Map.of("threads", List.copyOf(names), "locks", List.copyOf(new java.util.TreeSet<>(locks))),
                stack, now, now,
                String.format(Locale.ROOT, "Threads %s are deadlocked on %s and will never recover; restart the "
                        + "application, and make %s acquire its locks in one fixed order (or use tryLock with a timeout).",
                        names, subject, culprit),
                true));
    }

    private void threadLeaks(Instant now, double seconds, boolean learning, Set<String> holding,
            Map<String, Finding> candidates) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Integer> live = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds(), 0)) {
            if (info != null && live.size() < MAX_KEYS) {
                live.merge(ThreadDiagnostics.namePrefix(info.getThreadName()), 1, Integer::sum);
            }
        }
        int keep = config.threadLeakWindows();
        threadsByPrefix.keySet().removeIf(p -> !live.containsKey(p));
        for (Map.Entry<String, Integer> en : live.entrySet()) {
            java.util.ArrayDeque<Integer> counts = threadsByPrefix.computeIfAbsent(en.getKey(), k -> new java.util.ArrayDeque<>());
            counts.addLast(en.getValue());
            while (counts.size() > keep) {
                counts.removeFirst();
            }
            if (learning || counts.size() < keep) {
                continue;
            }
            // A leak rises window after window; a pool that grows to its working size under a load ramp rises in a
            // burst and then holds. So: never falling, rising in at least half of the steps, and in the last one.
            boolean rising = true;
            int risingSteps = 0;
            Integer previous = null;
            for (Integer c : counts) {
                if (previous != null && c < previous) {
                    rising = false;
                    break;
                }
                if (previous != null && c > previous) {
                    risingSteps++;
                }
                previous = c;
            }
            Integer[] last = counts.stream().skip(counts.size() - 2L).toArray(Integer[]::new);
            rising = rising && risingSteps * 2 >= keep - 1 && last[1] > last[0];
            int growth = counts.getLast() - counts.getFirst();
            if (!rising || growth < config.threadLeakMinGrowth()) {
                continue;
            }
            Map<String, Acc> creators = creatorsByPrefix.getOrDefault(en.getKey(), Map.of());
            Map.Entry<String, Acc> top = creators.entrySet().stream()
                    .max(Comparator.comparingLong(c -> c.getValue().amount)).orElse(null);
            String culprit = top != null ? top.getKey() : "(creator not seen)";
            String id = Finding.idOf(FindingCategory.THREAD_LEAK, culprit, en.getKey());
            double span = seconds * (keep - 1);
            holding.add(id);
            candidates.put(id, new Finding(id, FindingCategory.THREAD_LEAK, culprit, en.getKey(),
                    Map.of("liveThreads", counts.getLast(), "growth", growth, "overSeconds", round(span),
                            "counts", List.copyOf(counts)),
                    top != null ? top.getValue().stack : List.of(), now, now,
                    String.format(Locale.ROOT, "Live threads named %s rose from %d to %d over the last %.0f s without "
                                    + "falling; %s starts them. Make sure each is stopped (or use a bounded, shared "
                                    + "executor instead of new threads).",
                            en.getKey(), counts.getFirst(), counts.getLast(), span, culprit),
                    true));
        }
    }

    /**
     * Heap after GC rising steadily (least-squares slope and R² over the last windows) is a leak; a class
     * histogram diff against the one taken before the rise names the class that grows, and the allocation
     * samples name the method that allocates it.
     */
    private void memoryLeak(Window w, Instant now, double seconds, boolean learning, Set<String> holding,
            Map<String, Finding> candidates) {
        elapsedSeconds += seconds;
        windowsSinceHistogram = windowsSinceHistogram == Integer.MAX_VALUE ? windowsSinceHistogram : windowsSinceHistogram + 1;
        if (w.heapAfterGc >= 0) {
            heapAfterGc.addLast(new double[] {elapsedSeconds, w.heapAfterGc});
            while (heapAfterGc.size() > config.memoryLeakWindows()) {
                heapAfterGc.removeFirst();
            }
        }
        if (learning) {
            return;
        }
        double[] fit = fit(heapAfterGc);
        double growth = heapAfterGc.size() < 2 ? 0 : heapAfterGc.getLast()[1] - heapAfterGc.getFirst()[1];
        boolean trend = heapAfterGc.size() >= config.memoryLeakWindows() && fit[0] > 0 && fit[1] >= 0.8
                && growth >= config.memoryLeakMinGrowth();
        if (!trend) {
            // A rise that is steady but not yet long or large enough: take the reference histogram now (a full
            // GC), so a healthy application, whose heap after GC does not keep rising, never pays for one.
            boolean early = heapAfterGc.size() >= 3 && fit[0] > 0 && fit[1] >= 0.8;
            if (early && heapBaseline == null) {
                heapBaseline = histogram();
                synchronized (oldObjects) {
                    oldObjects.start();
                }
            }
            windowsWithoutTrend = early ? 0 : windowsWithoutTrend + 1;
            if (windowsWithoutTrend >= config.memoryLeakWindows()) {
                heapBaseline = null;
                lastDiff = null;
                lastOld = null;
                synchronized (oldObjects) {
                    oldObjects.stop();
                }
            }
            return;
        }
        windowsWithoutTrend = 0;
        if (heapBaseline == null) {
            // The rise became a trend before it looked like one (too steep to be seen early): take the reference
            // histogram now and judge from the next window on, so the finding names the class that grows.
            heapBaseline = histogram();
            synchronized (oldObjects) {
                oldObjects.start();
            }
            if (heapBaseline != null) {
                return;
            }
        }
        if (heapBaseline != null && (lastDiff == null || windowsSinceHistogram >= config.memoryLeakWindows())) {
            HeapHistogram now2 = histogram();
            if (now2 != null) {
                lastDiff = HeapDiagnostics.diff(heapBaseline, now2, 10);
            }
        }
        ClassDelta suspect = lastDiff == null ? null
                : lastDiff.suspects().stream().filter(d -> d.bytesDelta() > 0).findFirst().orElse(null);
        String suspectClass = suspect == null ? null : suspect.className();
        Map.Entry<String, Acc> site = suspectClass == null ? null : sitesByClass.getOrDefault(suspectClass, Map.of())
                .entrySet().stream().max(Comparator.comparingLong(en -> en.getValue().amount)).orElse(null);
        if (lastOld == null) {
            synchronized (oldObjects) {
                if (oldObjects.running()) {
                    lastOld = oldObjects.harvest(suspectClass, this::culprit, Window::stackOf);
                }
            }
        }
        OldObjectSampler.Result old = lastOld != null && (suspectClass == null || suspectClass.equals(lastOld.type()))
                ? lastOld : null;
        if (suspectClass == null && old != null) {
            suspectClass = old.type();
        }
        String culprit = site != null ? site.getKey() : old != null && old.site() != null ? old.site()
                : suspectClass != null ? suspectClass : "(allocation site not seen)";
        long max = Runtime.getRuntime().maxMemory();
        double current = heapAfterGc.getLast()[1];
        double exhaustion = fit[0] > 0 ? (max - current) / fit[0] : Double.POSITIVE_INFINITY;
        String id = Finding.idOf(FindingCategory.MEMORY_LEAK, culprit, suspectClass);
        holding.add(id);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("heapAfterGcBytes", Math.round(current));
        evidence.put("growthBytes", Math.round(growth));
        evidence.put("slopeBytesPerSecond", Math.round(fit[0]));
        evidence.put("r2", round(fit[1]));
        evidence.put("maxHeapBytes", max);
        evidence.put("secondsToExhaustion", Double.isFinite(exhaustion) ? Math.round(exhaustion) : -1);
        if (suspect != null) {
            evidence.put("suspectClass", suspect.className());
            evidence.put("suspectBytesDelta", suspect.bytesDelta());
            evidence.put("suspectInstancesDelta", suspect.instancesDelta());
        }
        if (old != null) {
            evidence.put("oldObjectSamples", old.samples());
            if (old.site() != null) {
                evidence.put("oldObjectAllocationSite", old.site());
            }
            if (old.root() != null) {
                evidence.put("gcRoot", old.root());
                evidence.put("pathToRoot", old.pathToRoot());
            }
        }
        String heldBy = old == null || old.root() == null ? ""
                : " They are held from GC root " + old.root()
                        + (old.pathToRoot().isEmpty() ? "" : " via " + String.join(" <- ", old.pathToRoot())) + ".";
        candidates.put(id, new Finding(id, FindingCategory.MEMORY_LEAK, culprit, suspectClass, evidence,
                site != null ? site.getValue().stack : old != null ? old.stack() : List.of(), now, now,
                String.format(Locale.ROOT, "The heap after GC rose by %.0f MB over the last %.0f s (%.1f MB/min, R² %.2f)"
                                + "%s; at this rate the heap is full in about %s. %s",
                        growth / 1e6, heapAfterGc.getLast()[0] - heapAfterGc.getFirst()[0], fit[0] * 60 / 1e6, fit[1],
                        suspect == null ? "" : String.format(Locale.ROOT, "; %s grew by %d instances (%.0f MB)",
                                suspect.className(), suspect.instancesDelta(), suspect.bytesDelta() / 1e6),
                        Double.isFinite(exhaustion) ? Duration.ofSeconds(Math.round(exhaustion)).toString().substring(2).toLowerCase(Locale.ROOT) : "never",
                        (site == null && (old == null || old.site() == null)
                                ? "Take a heap dump and look for the collection that holds these objects."
                                : "Check where " + culprit + " stores what it allocates: an unbounded cache, map or "
                                        + "list, or listeners never removed.") + heldBy),
                true));
    }

    private @Nullable HeapHistogram histogram() {
        windowsSinceHistogram = 0;
        try {
            return heap.histogram();
        } catch (RuntimeException e) {
            LOG.debug("Perfkit: heap class histogram unavailable", e);
            return null;
        }
    }

    /** Least-squares slope (per second) and R² of {seconds, value} points. */
    static double[] fit(java.util.Collection<double[]> points) {
        int n = points.size();
        if (n < 2) {
            return new double[] {0, 0};
        }
        double sx = 0;
        double sy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (double[] p : points) {
            sxx += (p[0] - mx) * (p[0] - mx);
            sxy += (p[0] - mx) * (p[1] - my);
            syy += (p[1] - my) * (p[1] - my);
        }
        if (sxx == 0 || syy == 0) {
            return new double[] {0, 0};
        }
        double slope = sxy / sxx;
        return new double[] {slope, (sxy * sxy) / (sxx * syy)};
    }

    /** Applies persistence: raise candidates that held long enough, resolve active findings that stopped holding. */
    private void settle(Instant now, Set<String> holding, Map<String, Finding> candidates, boolean learning) {
        if (learning) {
            return;
        }
        for (Map.Entry<String, Finding> c : candidates.entrySet()) {
            String id = c.getKey();
            misses.remove(id);
            int streak = streaks.merge(id, 1, Integer::sum);
            if (isActive(id)) {
                refresh(c.getValue());
            } else if (streak >= config.persistenceWindows()) {
                report(c.getValue());
            }
        }
        streaks.keySet().removeIf(id -> !holding.contains(id) && !isActive(id));
        for (Finding f : active()) {
            if (holding.contains(f.id()) || !isOwn(f.category())) {
                continue;
            }
            int missed = misses.merge(f.id(), 1, Integer::sum);
            if (missed >= config.persistenceWindows() || f.category() == FindingCategory.DEADLOCK) {
                misses.remove(f.id());
                streaks.remove(f.id());
                report(f.resolved(now));
            }
        }
    }

    private static boolean isOwn(FindingCategory c) {
        return c == FindingCategory.CPU_HOTSPOT || c == FindingCategory.ALLOCATION_PRESSURE
                || c == FindingCategory.LOCK_CONTENTION || c == FindingCategory.DEADLOCK
                || c == FindingCategory.THREAD_LEAK || c == FindingCategory.MEMORY_LEAK;
    }

    private void refresh(Finding latest) {
        synchronized (lock) {
            Finding previous = findings.remove(latest.id());
            Instant first = previous != null ? previous.firstSeen() : latest.firstSeen();
            findings.put(latest.id(), new Finding(latest.id(), latest.category(), latest.culprit(), latest.subject(),
                    latest.evidence(), latest.sampleStack(), first, latest.lastSeen(), latest.recommendation(), true));
        }
    }

    private boolean isActive(String id) {
        synchronized (lock) {
            Finding f = findings.get(id);
            return f != null && f.active();
        }
    }

    /** Lock held: drop the oldest resolved findings, then the oldest, beyond the cap. */
    private void trim() {
        Iterator<Finding> it = findings.values().iterator();
        while (findings.size() > config.maxFindings() && it.hasNext()) {
            if (!it.next().active()) {
                it.remove();
            }
        }
        it = findings.values().iterator();
        while (findings.size() > config.maxFindings() && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private void notifyListeners(Finding f) {
        for (FindingListener l : listeners) {
            try {
                if (f.active()) {
                    l.onFinding(f);
                } else {
                    l.onResolved(f);
                }
            } catch (RuntimeException e) {
                if (failedListeners.add(l)) {
                    LOG.warn("Perfkit: a finding listener ({}) failed; it stays registered. (Logged once.)",
                            l.getClass().getName(), e);
                }
            }
        }
    }

    private @Nullable String culprit(@Nullable RecordedStackTrace trace) {
        if (trace == null) {
            return null;
        }
        for (RecordedFrame f : trace.getFrames()) {
            if (f.getMethod() == null) {
                continue;
            }
            String type = f.getMethod().getType().getName();
            if (!isFramework(type)) {
                return type + "." + f.getMethod().getName();
            }
        }
        return null;
    }

    private boolean isFramework(String className) {
        for (String p : config.frameworkPackages()) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Accumulators of one window; stream thread only. */
    static final class Window {
        long cpuSamples;
        long heapAfterGc = -1;
        long allocatedBytes;
        final Map<String, Acc> cpu = new HashMap<>();
        final Map<String, Acc> allocation = new HashMap<>();
        final Map<String, Acc> locks = new HashMap<>();

        void add(Map<String, Acc> map, String key, long amount, @Nullable RecordedStackTrace trace) {
            Acc acc = map.get(key);
            if (acc == null) {
                if (map.size() >= MAX_KEYS) {
                    return;
                }
                acc = new Acc(stackOf(trace));
                map.put(key, acc);
            }
            acc.amount += amount;
            acc.events++;
        }

        private static List<String> stackOf(@Nullable RecordedStackTrace trace) {
            if (trace == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (RecordedFrame f : trace.getFrames()) {
                if (out.size() >= Finding.MAX_STACK) {
                    break;
                }
                out.add(f.getMethod() == null ? "(unknown)"
                        : f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber());
            }
            return out;
        }
    }

    /** Amount (samples, bytes or nanoseconds), events and the first sample stack of one key. */
    static final class Acc {
        long amount;
        long events;
        final List<String> stack;

        Acc(List<String> stack) {
            this.stack = stack;
        }
    }
}
