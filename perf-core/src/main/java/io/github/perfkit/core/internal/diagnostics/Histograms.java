package io.github.perfkit.core.internal.diagnostics;

import io.github.perfkit.core.diagnostics.ClassDelta;
import io.github.perfkit.core.diagnostics.ClassEntry;
import io.github.perfkit.core.diagnostics.HeapHistogram;
import io.github.perfkit.core.diagnostics.HistogramDiff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and compares class histograms. Stateless, thread-safe. */
public final class Histograms {

    // "   1:         44474        4070448  [B (java.base@17.0.15)"
    private static final Pattern ROW =
            Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\((.*)\\))?\\s*$");
    private static final Pattern TOTAL = Pattern.compile("^\\s*Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    private Histograms() {}

    /**
     * @param text output of {@code GC.class_histogram}
     * @param at time stamp
     * @param maxClasses classes kept (most bytes)
     * @return the histogram
     */
    public static HeapHistogram parse(String text, Instant at, int maxClasses) {
        PriorityQueue<ClassEntry> top = new PriorityQueue<>(Comparator.comparingLong(ClassEntry::bytes));
        long instances = 0;
        long bytes = 0;
        long totalInstances = -1;
        long totalBytes = -1;
        int classes = 0;
        for (String line : text.split("\\R")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                long b = Long.parseLong(m.group(2));
                String module = m.group(4) == null ? "" : m.group(4);
                classes++;
                instances += n;
                bytes += b;
                top.add(new ClassEntry(m.group(3), module, n, b));
                if (top.size() > maxClasses) {
                    top.poll();
                }
                continue;
            }
            Matcher t = TOTAL.matcher(line);
            if (t.matches()) {
                totalInstances = Long.parseLong(t.group(1));
                totalBytes = Long.parseLong(t.group(2));
            }
        }
        List<ClassEntry> kept = new ArrayList<>(top);
        kept.sort(Comparator.comparingLong(ClassEntry::bytes).reversed().thenComparing(ClassEntry::className));
        return new HeapHistogram(at, totalInstances >= 0 ? totalInstances : instances,
                totalBytes >= 0 ? totalBytes : bytes, classes, kept);
    }

    /**
     * @param before earlier histogram
     * @param after later histogram
     * @param top most suspects
     * @return classes whose bytes grew, most first
     */
    public static HistogramDiff diff(HeapHistogram before, HeapHistogram after, int top) {
        Map<String, ClassEntry> old = new HashMap<>();
        for (ClassEntry e : before.classes()) {
            old.merge(e.className(), e, Histograms::sum);
        }
        Map<String, ClassEntry> now = new HashMap<>();
        for (ClassEntry e : after.classes()) {
            now.merge(e.className(), e, Histograms::sum);
        }
        List<ClassDelta> grown = new ArrayList<>();
        for (ClassEntry e : now.values()) {
            ClassEntry o = old.get(e.className());
            long ob = o == null ? 0 : o.bytes();
            long oi = o == null ? 0 : o.instances();
            if (e.bytes() > ob) {
                grown.add(new ClassDelta(e.className(), oi, e.instances(), ob, e.bytes()));
            }
        }
        grown.sort(Comparator.comparingLong(ClassDelta::bytesDelta).reversed().thenComparing(ClassDelta::className));
        return new HistogramDiff(Duration.between(before.capturedAt(), after.capturedAt()),
                after.totalBytes() - before.totalBytes(), after.totalInstances() - before.totalInstances(),
                grown.subList(0, Math.min(top, grown.size())));
    }

    /** Same class name from two class loaders: one entry. */
    private static ClassEntry sum(ClassEntry a, ClassEntry b) {
        return new ClassEntry(a.className(), a.module(), a.instances() + b.instances(), a.bytes() + b.bytes());
    }
}
