package io.github.perfkit.core.internal.profiling;

import io.github.perfkit.core.profiling.ProfileAnalyzer;
import io.github.perfkit.core.profiling.ProfileResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * One pass over a recording file, event by event. Everything it accumulates is bounded: functions,
 * stacks, allocation classes and sites, monitors, and the frames and owners per monitor. Not
 * thread-safe: one instance per analysis.
 */
public final class JfrAnalysis {

    static final int MAX_FUNCTIONS = 50_000;
    static final int MAX_ALLOCATION_KEYS = 10_000;
    static final int MAX_MONITORS = 1_000;
    static final int MAX_PER_MONITOR = 256;
    private static final String TRUNCATED = "…";
    private static final String[] JDK_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "com.sun."};

    private final ProfileAnalyzer options;

    private long cpuSamples;
    private final Map<String, long[]> functions = new HashMap<>(); // frame -> {self, total}
    private final Map<String, Long> stacks = new HashMap<>();
    private long otherStacks;

    private long allocated;
    private final Map<String, long[]> allocByClass = new HashMap<>(); // -> {bytes, samples}
    private final Map<String, long[]> allocBySite = new HashMap<>();

    private final Map<String, Monitor> monitors = new HashMap<>();

    private long gcCount;
    private long gcPauseNanos;
    private long gcLongestNanos;

    private @Nullable Instant first;
    private @Nullable Instant last;

    /**
     * @param options bounds and thresholds
     */
    public JfrAnalysis(ProfileAnalyzer options) {
        this.options = options;
    }

    /**
     * Reads the file.
     *
     * @param file a JFR recording
     * @return the result
     * @throws IOException if it cannot be read
     */
    public ProfileResult read(Path file) throws IOException {
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                accept(recording.readEvent());
            }
        }
        return result();
    }

    private void accept(RecordedEvent e) {
        Instant start = e.getStartTime();
        Instant end = e.getEndTime();
        if (first == null || start.isBefore(first)) {
            first = start;
        }
        if (last == null || end.isAfter(last)) {
            last = end;
        }
        switch (e.getEventType().getName()) {
            case "jdk.ExecutionSample" -> cpu(e.getStackTrace());
            case "jdk.ObjectAllocationSample" -> allocation(e, "weight");
            case "jdk.ObjectAllocationInNewTLAB" -> allocation(e, "tlabSize");
            case "jdk.ObjectAllocationOutsideTLAB" -> allocation(e, "allocationSize");
            case "jdk.JavaMonitorEnter" -> contention(e, "monitor", e.getClass("monitorClass"), thread(e, "previousOwner"));
            case "jdk.ThreadPark" -> contention(e, "park", e.getClass("parkedClass"), null);
            case "jdk.GarbageCollection" -> gc(e);
            default -> { }
        }
    }

    private void cpu(@Nullable RecordedStackTrace trace) {
        if (trace == null || trace.getFrames().isEmpty()) {
            return;
        }
        cpuSamples++;
        List<RecordedFrame> frames = trace.getFrames(); // top (leaf) first
        int depth = Math.min(frames.size(), options.maxStackDepth());
        Set<String> seen = new HashSet<>();
        String[] path = new String[depth];
        for (int i = 0; i < depth; i++) {
            String name = frameName(frames.get(i));
            path[depth - 1 - i] = name;
            long[] counts = functions.get(name);
            if (counts == null && functions.size() < MAX_FUNCTIONS) {
                counts = new long[2];
                functions.put(name, counts);
            }
            if (counts != null) {
                if (i == 0) {
                    counts[0]++;
                }
                if (seen.add(name)) {
                    counts[1]++;
                }
            }
        }
        boolean cut = trace.isTruncated() || frames.size() > depth;
        String key = (cut ? TRUNCATED + ";" : "") + String.join(";", path);
        Long count = stacks.get(key);
        if (count != null) {
            stacks.put(key, count + 1);
        } else if (stacks.size() < options.maxStacks()) {
            stacks.put(key, 1L);
        } else {
            otherStacks++;
        }
    }

    private void allocation(RecordedEvent e, String weightField) {
        if (!e.hasField(weightField)) {
            return;
        }
        long weight = e.getLong(weightField);
        allocated += weight;
        RecordedClass type = e.getClass("objectClass");
        add(allocByClass, type == null ? "(unknown)" : type.getName(), weight);
        RecordedStackTrace trace = e.getStackTrace();
        String site = trace == null || trace.getFrames().isEmpty() ? "(unknown)" : applicationFrame(trace);
        add(allocBySite, site, weight);
    }

    private static void add(Map<String, long[]> map, String key, long weight) {
        long[] v = map.get(key);
        if (v == null) {
            if (map.size() >= MAX_ALLOCATION_KEYS) {
                key = "(other)";
                v = map.get(key);
            }
            if (v == null) {
                v = new long[2];
                map.put(key, v);
            }
        }
        v[0] += weight;
        v[1]++;
    }

    private void contention(RecordedEvent e, String kind, @Nullable RecordedClass type, @Nullable String owner) {
        String key = kind + ":" + (type == null ? "(unknown)" : type.getName());
        Monitor m = monitors.get(key);
        if (m == null) {
            if (monitors.size() >= MAX_MONITORS) {
                return;
            }
            m = new Monitor(kind, type == null ? "(unknown)" : type.getName());
            monitors.put(key, m);
        }
        m.events++;
        m.waitNanos += e.getDuration().toNanos();
        RecordedStackTrace trace = e.getStackTrace();
        if (trace != null && !trace.getFrames().isEmpty()) {
            bump(m.frames, applicationFrame(trace));
        }
        if (owner != null) {
            bump(m.owners, owner);
        }
    }

    private static void bump(Map<String, Long> map, String key) {
        if (map.containsKey(key) || map.size() < MAX_PER_MONITOR) {
            map.merge(key, 1L, Long::sum);
        }
    }

    private void gc(RecordedEvent e) {
        gcCount++;
        if (e.hasField("sumOfPauses")) {
            gcPauseNanos += e.getDuration("sumOfPauses").toNanos();
        }
        if (e.hasField("longestPause")) {
            gcLongestNanos = Math.max(gcLongestNanos, e.getDuration("longestPause").toNanos());
        }
    }

    private ProfileResult result() {
        double samples = Math.max(1, cpuSamples);
        List<ProfileResult.FunctionStat> all = new ArrayList<>(functions.size());
        functions.forEach((frame, c) -> all.add(new ProfileResult.FunctionStat(frame, c[0], c[1], c[0] / samples, c[1] / samples)));
        all.sort(Comparator.comparingLong(ProfileResult.FunctionStat::selfSamples).reversed()
                .thenComparing(Comparator.comparingLong(ProfileResult.FunctionStat::totalSamples).reversed())
                .thenComparing(ProfileResult.FunctionStat::frame));
        List<ProfileResult.FunctionStat> top = all.subList(0, Math.min(options.topN(), all.size()));

        Map<String, Map.Entry<String, Long>> hottestPathByLeaf = new HashMap<>();
        for (Map.Entry<String, Long> s : stacks.entrySet()) {
            String key = s.getKey();
            String leaf = key.substring(key.lastIndexOf(';') + 1);
            Map.Entry<String, Long> best = hottestPathByLeaf.get(leaf);
            if (best == null || s.getValue() > best.getValue()) {
                hottestPathByLeaf.put(leaf, s);
            }
        }
        List<ProfileResult.Hotspot> hotspots = new ArrayList<>();
        for (ProfileResult.FunctionStat f : all) {
            if (f.selfShare() < options.hotspotShare() || hotspots.size() >= options.topN()) {
                break;
            }
            Map.Entry<String, Long> path = hottestPathByLeaf.get(f.frame());
            hotspots.add(new ProfileResult.Hotspot(f.frame(), f.selfShare(),
                    path == null ? List.of(f.frame()) : List.of(path.getKey().split(";")),
                    path == null ? 0 : path.getValue() / samples));
        }

        Map<String, Long> collapsed = new LinkedHashMap<>();
        stacks.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(en -> collapsed.put(en.getKey(), en.getValue()));
        if (otherStacks > 0) {
            collapsed.put(ProfileResult.OTHER_STACKS, otherStacks);
        }

        List<ProfileResult.ContentionStat> contention = monitors.values().stream()
                .sorted(Comparator.comparingLong((Monitor m) -> m.waitNanos).reversed())
                .limit(options.topN())
                .map(m -> new ProfileResult.ContentionStat(m.className, m.kind, m.events, Duration.ofNanos(m.waitNanos),
                        topKey(m.frames), topKey(m.owners)))
                .toList();

        Instant start = first != null ? first : Instant.EPOCH;
        Duration duration = first != null && last != null ? Duration.between(first, last) : Duration.ZERO;
        return new ProfileResult(start, duration, cpuSamples, top, hotspots, collapsed,
                allocationStats(allocByClass), allocationStats(allocBySite), allocated, contention,
                new ProfileResult.GcStat(gcCount, Duration.ofNanos(gcPauseNanos), Duration.ofNanos(gcLongestNanos)));
    }

    private List<ProfileResult.AllocationStat> allocationStats(Map<String, long[]> map) {
        double total = Math.max(1, allocated);
        return map.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> en) -> en.getValue()[0]).reversed())
                .limit(options.topN())
                .map(en -> new ProfileResult.AllocationStat(en.getKey(), en.getValue()[0], en.getValue()[1],
                        en.getValue()[0] / total))
                .toList();
    }

    private static String topKey(Map<String, Long> counts) {
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
    }

    private static @Nullable String thread(RecordedEvent e, String field) {
        if (!e.hasField(field)) {
            return null;
        }
        RecordedThread t = e.getThread(field);
        return t == null ? null : t.getJavaName() != null ? t.getJavaName() : t.getOSName();
    }

    /** The first frame outside the JDK, else the top frame. */
    static String applicationFrame(RecordedStackTrace trace) {
        for (RecordedFrame f : trace.getFrames()) {
            String name = frameName(f);
            if (!isJdk(name)) {
                return name;
            }
        }
        return frameName(trace.getFrames().get(0));
    }

    static boolean isJdk(String frame) {
        for (String p : JDK_PREFIXES) {
            if (frame.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    static String frameName(RecordedFrame frame) {
        var method = frame.getMethod();
        if (method == null) {
            return "(unknown)";
        }
        return method.getType().getName() + "." + method.getName();
    }

    private static final class Monitor {
        final String kind;
        final String className;
        long events;
        long waitNanos;
        final Map<String, Long> frames = new HashMap<>();
        final Map<String, Long> owners = new HashMap<>();

        Monitor(String kind, String className) {
            this.kind = kind;
            this.className = className;
        }
    }
}
