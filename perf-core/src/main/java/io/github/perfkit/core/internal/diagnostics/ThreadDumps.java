package io.github.perfkit.core.internal.diagnostics;

import io.github.perfkit.core.diagnostics.Deadlock;
import io.github.perfkit.core.diagnostics.ThreadDump;
import io.github.perfkit.core.diagnostics.ThreadSnapshot;
import io.github.perfkit.core.diagnostics.WaitChain;
import java.lang.management.LockInfo;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Builds {@link ThreadDump}s and {@link Deadlock}s from {@link ThreadInfo}. Stateless, thread-safe. */
public final class ThreadDumps {

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final int MAX_CHAIN_LENGTH = 32;

    private ThreadDumps() {}

    /**
     * @param threadName a thread name
     * @return the name with digit runs replaced by {@code #}
     */
    public static String namePrefix(String threadName) {
        return DIGITS.matcher(threadName).replaceAll("#");
    }

    /**
     * @param mx the thread MXBean
     * @param now the dump's time stamp
     * @param maxDepth frames per thread
     * @param maxThreads threads listed
     * @param maxPrefixes name prefixes kept
     * @param maxChains wait chains kept
     * @return the dump
     */
    public static ThreadDump dump(ThreadMXBean mx, Instant now, int maxDepth, int maxThreads, int maxPrefixes,
            int maxChains) {
        ThreadInfo[] infos = mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported(),
                maxDepth);
        List<ThreadSnapshot> all = new ArrayList<>(infos.length);
        for (ThreadInfo info : infos) {
            if (info != null) {
                all.add(snapshot(info, maxDepth));
            }
        }
        Map<Thread.State, Integer> byState = new EnumMap<>(Thread.State.class);
        for (Thread.State s : Thread.State.values()) {
            byState.put(s, 0);
        }
        Map<String, Integer> prefixes = new HashMap<>();
        for (ThreadSnapshot t : all) {
            byState.merge(t.state(), 1, Integer::sum);
            prefixes.merge(namePrefix(t.name()), 1, Integer::sum);
        }
        Map<String, Integer> topPrefixes = new LinkedHashMap<>();
        prefixes.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(maxPrefixes)
                .forEach(e -> topPrefixes.put(e.getKey(), e.getValue()));
        List<WaitChain> chains = chains(all, maxChains);
        List<Deadlock> deadlocks = deadlocks(mx, maxDepth);
        List<ThreadSnapshot> listed = all.size() > maxThreads ? all.subList(0, maxThreads) : all;
        return new ThreadDump(now, all.size(), byState, topPrefixes, chains, deadlocks, listed);
    }

    /**
     * @param mx the thread MXBean
     * @param maxDepth frames per thread
     * @return one entry per deadlock cycle
     */
    public static List<Deadlock> deadlocks(ThreadMXBean mx, int maxDepth) {
        long[] ids = mx.isSynchronizerUsageSupported() ? mx.findDeadlockedThreads() : mx.findMonitorDeadlockedThreads();
        if (ids == null || ids.length == 0) {
            return List.of();
        }
        ThreadInfo[] infos = mx.getThreadInfo(ids, mx.isObjectMonitorUsageSupported(),
                mx.isSynchronizerUsageSupported(), maxDepth);
        Map<Long, ThreadSnapshot> byId = new LinkedHashMap<>();
        for (ThreadInfo info : infos) {
            if (info != null) {
                byId.put(info.getThreadId(), snapshot(info, maxDepth));
            }
        }
        // Split the deadlocked threads into cycles (several independent deadlocks may exist at once).
        List<Deadlock> result = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (ThreadSnapshot start : byId.values()) {
            if (seen.contains(start.id())) {
                continue;
            }
            List<ThreadSnapshot> path = new ArrayList<>();
            Set<Long> onPath = new HashSet<>();
            ThreadSnapshot t = start;
            while (t != null && !seen.contains(t.id()) && onPath.add(t.id())) {
                path.add(t);
                t = byId.get(t.lockOwnerId());
            }
            if (t != null && onPath.contains(t.id()) && !seen.contains(t.id())) {
                List<ThreadSnapshot> cycle = path.subList(path.indexOf(t), path.size());
                result.add(new Deadlock(cycle, describe(cycle)));
            }
            for (ThreadSnapshot member : path) {
                seen.add(member.id());
            }
        }
        return List.copyOf(result);
    }

    private static String describe(List<ThreadSnapshot> cycle) {
        StringBuilder sb = new StringBuilder();
        for (ThreadSnapshot t : cycle) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append('"').append(t.name()).append("\" waits for ").append(t.lockName()).append(" held by \"")
                    .append(t.lockOwnerName()).append('"');
        }
        return sb.toString();
    }

    private static List<WaitChain> chains(List<ThreadSnapshot> all, int maxChains) {
        Map<Long, ThreadSnapshot> byId = new HashMap<>();
        Set<Long> waitedOn = new HashSet<>();
        for (ThreadSnapshot t : all) {
            byId.put(t.id(), t);
            if (t.waitsOnOwnedLock()) {
                waitedOn.add(t.lockOwnerId());
            }
        }
        List<WaitChain> chains = new ArrayList<>();
        Set<Long> inCycle = new HashSet<>();
        for (ThreadSnapshot head : all) {
            if (!head.waitsOnOwnedLock()) {
                continue;
            }
            // A chain starts at a waiter nobody waits on, or anywhere on a cycle not yet reported.
            boolean start = !waitedOn.contains(head.id());
            List<ThreadSnapshot> threads = new ArrayList<>();
            List<String> locks = new ArrayList<>();
            Set<Long> path = new HashSet<>();
            ThreadSnapshot t = head;
            boolean cyclic = false;
            while (t != null && threads.size() < MAX_CHAIN_LENGTH) {
                if (!path.add(t.id())) {
                    cyclic = true;
                    break;
                }
                threads.add(t);
                if (!t.waitsOnOwnedLock()) {
                    break;
                }
                locks.add(t.lockName());
                t = byId.get(t.lockOwnerId());
            }
            if (!start && !cyclic) {
                continue;
            }
            if (cyclic) {
                if (inCycle.contains(head.id())) {
                    continue;
                }
                for (ThreadSnapshot member : threads) {
                    inCycle.add(member.id());
                }
            }
            if (locks.size() > threads.size() - 1 && !cyclic) {
                locks = locks.subList(0, threads.size() - 1);
            }
            chains.add(new WaitChain(threads, locks, cyclic));
        }
        chains.sort(Comparator.comparingInt((WaitChain c) -> c.threads().size()).reversed());
        return chains.size() > maxChains ? List.copyOf(chains.subList(0, maxChains)) : List.copyOf(chains);
    }

    static ThreadSnapshot snapshot(ThreadInfo info, int maxDepth) {
        StackTraceElement[] frames = info.getStackTrace();
        int depth = Math.min(frames.length, maxDepth);
        List<String> stack = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            stack.add(frames[i].toString());
        }
        List<String> monitors = new ArrayList<>();
        for (MonitorInfo m : info.getLockedMonitors()) {
            monitors.add(lock(m) + " at frame " + m.getLockedStackDepth());
        }
        List<String> synchronizers = new ArrayList<>();
        for (LockInfo l : info.getLockedSynchronizers()) {
            synchronizers.add(lock(l));
        }
        LockInfo waitingOn = info.getLockInfo();
        String ownerName = info.getLockOwnerName();
        return new ThreadSnapshot(info.getThreadId(), info.getThreadName(), info.getThreadState(), info.isDaemon(),
                waitingOn == null ? "" : lock(waitingOn), info.getLockOwnerId(), ownerName == null ? "" : ownerName,
                info.getBlockedCount(), info.getWaitedCount(), stack, monitors, synchronizers);
    }

    private static String lock(LockInfo l) {
        return l.getClassName() + "@" + Integer.toHexString(l.getIdentityHashCode());
    }

}
