package com.example.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * "Application" code with planted problems, outside Perfkit's packages so the diagnosis treats its
 * frames as culprits, as it would a user's code.
 */
public final class Workloads {

    public static volatile long sink;
    private static final Object MONITOR = new SharedLedger();

    private Workloads() {}

    /** Burns CPU until told to stop. */
    public static void burnCpu(BooleanSupplier running) {
        long x = 1;
        while (running.getAsBoolean()) {
            for (int i = 0; i < 100_000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            sink = x;
        }
    }

    /** Allocates short-lived objects as fast as it can until told to stop. */
    public static void allocate(BooleanSupplier running) {
        List<byte[]> batch = new ArrayList<>();
        while (running.getAsBoolean()) {
            for (int i = 0; i < 256; i++) {
                batch.add(new byte[1024]);
            }
            sink += batch.size();
            batch.clear();
        }
    }

    /** Holds a shared monitor while sleeping, so callers on other threads queue behind it. */
    public static void contend(BooleanSupplier running) {
        while (running.getAsBoolean()) {
            synchronized (MONITOR) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Takes {@code first} then {@code second}; with a partner taking them the other way round, both
     * deadlock. Interrupting the threads ends it.
     */
    public static void lockInOrder(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldFirst) {
        try {
            first.lockInterruptibly();
            try {
                bothHoldFirst.countDown();
                bothHoldFirst.await();
                second.lockInterruptibly();
                second.unlock();
            } finally {
                first.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final List<Thread> LEAKED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Starts idle threads that are never stopped, three every 200 ms, until told to stop. */
    public static void leakThreads(BooleanSupplier running) {
        int n = 0;
        while (running.getAsBoolean()) {
            for (int i = 0; i < 3; i++) {
                Thread t = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        java.util.concurrent.locks.LockSupport.park();
                    }
                }, "leaky-worker-" + n++);
                t.setDaemon(true);
                t.start();
                LEAKED.add(t);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Ends the threads {@link #leakThreads} started (test clean-up). */
    public static void stopLeakedThreads() {
        LEAKED.forEach(Thread::interrupt);
        LEAKED.clear();
    }

    private static final List<LeakedRecord> RETAINED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Keeps about 4 MB per second of small records reachable for ever, collecting now and then. */
    public static void leakMemory(BooleanSupplier running) {
        long i = 0;
        while (running.getAsBoolean()) {
            List<LeakedRecord> batch = new ArrayList<>(16_000);
            for (int k = 0; k < 16_000; k++) {
                batch.add(new LeakedRecord(i++));
            }
            RETAINED.addAll(batch);
            System.gc();
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Allocates the leak's record class as short-lived garbage, fast: a start-up phase that leaks nothing. */
    public static void churnRecords(BooleanSupplier running) {
        LeakedRecord[] ring = new LeakedRecord[1024];
        long i = 0;
        while (running.getAsBoolean()) {
            ring[(int) (i & 1023)] = new LeakedRecord(i);
            i++;
        }
    }

    /** Releases what {@link #leakMemory} retained (test clean-up). */
    public static void releaseLeakedMemory() {
        RETAINED.clear();
    }

    /** What the memory leak retains: 64-byte records. */
    public static final class LeakedRecord {
        final long id;
        long a;
        long b;
        long c;
        long d;
        long e;

        LeakedRecord(long id) {
            this.id = id;
        }
    }

    /**
     * A healthy application's steady work: request-sized bursts of hashing, short-lived objects, a
     * bounded LRU cache and a short lock, paced at about 200 "requests" per second per thread.
     */
    public static void steadyRequests(BooleanSupplier running) {
        java.util.LinkedHashMap<Long, byte[]> cache = new java.util.LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<Long, byte[]> eldest) {
                return size() > 200;
            }
        };
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long x = 1;
        while (running.getAsBoolean()) {
            for (int i = 0; i < 5_000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            StringBuilder response = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                response.append("item-").append(x + i).append(',');
            }
            cache.computeIfAbsent(random.nextLong(400), k -> new byte[512]);
            synchronized (cache) {
                sink += response.length() + cache.size();
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits for a signal, checking every 200 ms (a thread with nothing to do, not contention). */
    public static void awaitSignal(CountDownLatch signal) {
        try {
            while (!signal.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                sink++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The type of the contended monitor, so the finding can name it. */
    public static final class SharedLedger {}
}
