package io.github.perfkit.servlet;

/** A thread that burns CPU in {@link #burnCpu} until closed: the method a profile must name. */
final class Burner implements AutoCloseable {

    static volatile long sink;

    private volatile boolean running = true;
    private final Thread thread;

    Burner() {
        thread = new Thread(this::run, "test-cpu-burner");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            sink += burnCpu(100_000);
        }
    }

    /** Pure arithmetic, no calls: samples taken in it have it on top of the stack. */
    static long burnCpu(int rounds) {
        long x = 88172645463325252L + rounds;
        for (int i = 0; i < rounds; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
