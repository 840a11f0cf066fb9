package io.github.perfkit.core.internal.tracking;

import io.github.perfkit.core.ProfileTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Bounded store of finished profile trees: the most recent N (a lock-free ring) and the slowest N
 * (a min-heap behind a lock that is only taken by trees slower than the current floor). Thread-safe.
 */
final class TreeStore {

    private final AtomicReferenceArray<ProfileTree> recent;
    private final AtomicLong cursor = new AtomicLong();
    private final int slowestCapacity;
    private final PriorityQueue<ProfileTree> slowest; // guarded by this
    private volatile long slowestFloor = -1;

    TreeStore(int recentCapacity, int slowestCapacity) {
        this.recent = new AtomicReferenceArray<>(recentCapacity);
        this.slowestCapacity = slowestCapacity;
        this.slowest = new PriorityQueue<>(slowestCapacity + 1, Comparator.comparingLong(ProfileTree::durationNanos));
    }

    void add(ProfileTree tree) {
        long slot = cursor.getAndIncrement();
        recent.set((int) (slot % recent.length()), tree);
        if (tree.durationNanos() <= slowestFloor) {
            return;
        }
        synchronized (this) {
            slowest.add(tree);
            if (slowest.size() > slowestCapacity) {
                slowest.poll();
            }
            slowestFloor = slowest.size() == slowestCapacity ? slowest.peek().durationNanos() : -1;
        }
    }

    List<ProfileTree> recent() {
        int n = recent.length();
        long end = cursor.get();
        List<ProfileTree> out = new ArrayList<>(n);
        for (long i = end - 1; i >= Math.max(0, end - n); i--) {
            ProfileTree t = recent.get((int) (i % n));
            if (t != null && !out.contains(t)) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    synchronized List<ProfileTree> slowest() {
        List<ProfileTree> out = new ArrayList<>(slowest);
        out.sort(Comparator.comparingLong(ProfileTree::durationNanos).reversed());
        return List.copyOf(out);
    }

    Optional<ProfileTree> find(String id) {
        for (int i = 0; i < recent.length(); i++) {
            ProfileTree t = recent.get(i);
            if (t != null && t.id().equals(id)) {
                return Optional.of(t);
            }
        }
        synchronized (this) {
            return slowest.stream().filter(t -> t.id().equals(id)).findFirst();
        }
    }
}
