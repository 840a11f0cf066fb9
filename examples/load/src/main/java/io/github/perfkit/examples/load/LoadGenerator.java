package io.github.perfkit.examples.load;

import io.github.perfkit.examples.load.internal.TargetStats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends HTTP requests to weighted {@link Target}s from a fixed number of worker threads, for a duration or until
 * {@link #stop()}, and measures latencies with HdrHistogram.
 *
 * <p>Two models: <b>closed loop</b> ({@code rate(0)}, the default): each worker sends its next request as soon as
 * the previous one is answered; <b>open model</b> ({@code rate(r)}): requests are due on a fixed schedule of
 * {@code r} per second shared by the workers, and each latency counts from the request's due time, so a server
 * that falls behind is charged for the queueing (no coordinated omission). The concurrency caps the requests in
 * flight in both models; when it is too low for the rate, requests start late and their latencies show it.
 *
 * <pre>{@code
 * LoadResult result = LoadGenerator.builder()
 *         .target(Target.parse("3*http://localhost:8080/api/products/{1..5000}"))
 *         .target(Target.get("http://localhost:8080/api/orders/recent"))
 *         .concurrency(8).rate(200).duration(Duration.ofSeconds(30))
 *         .onProgress(p -> log.info(p.line()))
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>Thread-safe: {@link #run()} may be called once; {@link #stop()} from any thread.
 */
public final class LoadGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final List<Target> targets;
    private final int[] cumulativeWeights;
    private final int concurrency;
    private final Duration duration;
    private final double rate;
    private final Duration progressInterval;
    private final Duration requestTimeout;
    private final Consumer<ProgressReport> onProgress;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch stopLatch = new CountDownLatch(1);

    private LoadGenerator(Builder b) {
        this.targets = List.copyOf(b.targets);
        this.cumulativeWeights = new int[targets.size()];
        int sum = 0;
        for (int i = 0; i < targets.size(); i++) {
            sum += targets.get(i).weight();
            cumulativeWeights[i] = sum;
        }
        this.concurrency = b.concurrency;
        this.duration = b.duration;
        this.rate = b.rate;
        this.progressInterval = b.progressInterval;
        this.requestTimeout = b.requestTimeout;
        this.onProgress = b.onProgress;
    }

    /** @return a builder with concurrency 8, 30 s, closed loop, progress every 5 s, 10 s request timeout */
    public static Builder builder() {
        return new Builder();
    }

    /** Ends a running {@link #run()} early (it returns what was measured so far); idempotent. */
    public void stop() {
        stopped.set(true);
        stopLatch.countDown();
    }

    /**
     * Runs the load on the calling thread until the duration has passed or {@link #stop()} is called, reporting
     * progress to the listener from this thread.
     *
     * @return what was measured
     * @throws IllegalStateException if this generator already ran
     */
    public LoadResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a LoadGenerator runs once; build another");
        }
        int runId = RUNS.incrementAndGet();
        Map<Target, TargetStats> stats = new LinkedHashMap<>();
        TargetStats[] byIndex = new TargetStats[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            byIndex[i] = stats.computeIfAbsent(targets.get(i), t -> new TargetStats());
        }
        AtomicInteger clientThreads = new AtomicInteger();
        ExecutorService clientExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "load-" + runId + "-http-" + clientThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(clientExecutor)
                .build();
        long start = System.nanoTime();
        long deadline = duration.isZero() ? Long.MAX_VALUE : start + duration.toNanos();
        long period = rate > 0 ? Math.max(1, Math.round(1e9 / rate)) : 0;
        AtomicLong tickets = new AtomicLong();
        List<Thread> workers = new ArrayList<>(concurrency);
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(() -> work(client, byIndex, start, deadline, period, tickets),
                    "load-" + runId + "-worker-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        long lastReport = start;
        try {
            while (!stopped.get() && System.nanoTime() < deadline) {
                long next = lastReport + progressInterval.toNanos();
                long wait = Math.min(next, deadline) - System.nanoTime();
                if (wait > 0 && stopLatch.await(wait, TimeUnit.NANOSECONDS)) {
                    break;
                }
                long now = System.nanoTime();
                if (now >= next) {
                    report(stats.values(), start, now, lastReport);
                    lastReport = now;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped.set(true);
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
        long joinDeadline = System.nanoTime() + requestTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (Thread t : workers) {
            try {
                long left = joinDeadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                if (t.isAlive()) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long end = System.nanoTime();
        clientExecutor.shutdownNow();
        Map<String, LatencySummary> byTarget = new LinkedHashMap<>();
        TargetStats.Aggregate overall = new TargetStats.Aggregate();
        TargetStats.Aggregate lastInterval = new TargetStats.Aggregate();
        stats.forEach((target, s) -> {
            s.drain();
            s.addTo(lastInterval, overall);
            byTarget.merge(target.method().equals("GET") ? target.template() : target.method() + " " + target.template(),
                    s.total(), (a, b) -> a);
        });
        LatencySummary tail = lastInterval.summary();
        if (end - lastReport >= progressInterval.toNanos() / 2 || tail.requests() + tail.errors() > 0) {
            // the last report carries the final totals whenever anything happened since the previous one
            safeProgress(new ProgressReport(Duration.ofNanos(end - start), Duration.ofNanos(end - lastReport),
                    tail, overall.summary()));
        }
        return new LoadResult(Duration.ofNanos(end - start), overall.summary(), byTarget);
    }

    private void report(Iterable<TargetStats> stats, long start, long now, long lastReport) {
        TargetStats.Aggregate interval = new TargetStats.Aggregate();
        TargetStats.Aggregate total = new TargetStats.Aggregate();
        for (TargetStats s : stats) {
            s.drain();
            s.addTo(interval, total);
        }
        safeProgress(new ProgressReport(Duration.ofNanos(now - start), Duration.ofNanos(now - lastReport),
                interval.summary(), total.summary()));
    }

    private void safeProgress(ProgressReport report) {
        try {
            onProgress.accept(report);
        } catch (RuntimeException e) {
            LOG.warn("load: the progress listener failed", e);
        }
    }

    private void work(HttpClient client, TargetStats[] stats, long start, long deadline, long period, AtomicLong tickets) {
        while (!stopped.get()) {
            long due;
            if (period > 0) {
                due = start + tickets.getAndIncrement() * period;
                if (due >= deadline) {
                    return;
                }
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                    if (stopped.get()) {
                        return;
                    }
                }
            } else {
                due = System.nanoTime();
                if (due >= deadline) {
                    return;
                }
            }
            int index = pick();
            Target target = targets.get(index);
            URI uri = target.next();
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .method(target.method(), HttpRequest.BodyPublishers.noBody())
                    .build();
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                stats[index].response(response.statusCode(), (System.nanoTime() - due) / 1000);
            } catch (IOException e) {
                stats[index].error();
                LOG.debug("load: {} {} failed", target.method(), uri, e);
            } catch (InterruptedException e) {
                if (!stopped.get()) {
                    stats[index].error();
                }
                return;
            }
        }
    }

    private int pick() {
        if (cumulativeWeights.length == 1) {
            return 0;
        }
        int r = ThreadLocalRandom.current().nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (r < cumulativeWeights[i]) {
                return i;
            }
        }
        return cumulativeWeights.length - 1;
    }

    /** Builder of {@link LoadGenerator}; not thread-safe. */
    public static final class Builder {
        private final List<Target> targets = new ArrayList<>();
        private int concurrency = 8;
        private Duration duration = Duration.ofSeconds(30);
        private double rate;
        private Duration progressInterval = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Consumer<ProgressReport> onProgress = p -> { };

        private Builder() {
        }

        /**
         * Adds a target.
         *
         * @param target the target
         * @return this builder
         */
        public Builder target(Target target) {
            targets.add(Objects.requireNonNull(target, "target"));
            return this;
        }

        /**
         * Adds targets.
         *
         * @param all the targets
         * @return this builder
         */
        public Builder targets(List<Target> all) {
            Objects.requireNonNull(all, "all").forEach(this::target);
            return this;
        }

        /**
         * Worker threads, i.e. the most requests in flight (default 8).
         *
         * @param workers 1 to 1000
         * @return this builder
         */
        public Builder concurrency(int workers) {
            this.concurrency = workers;
            return this;
        }

        /**
         * How long to run (default 30 s); zero runs until {@link LoadGenerator#stop()}.
         *
         * @param value not negative
         * @return this builder
         */
        public Builder duration(Duration value) {
            this.duration = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * Open-model target rate in requests per second; 0 (the default) is a closed loop.
         *
         * @param perSecond not negative, at most 1 000 000
         * @return this builder
         */
        public Builder rate(double perSecond) {
            this.rate = perSecond;
            return this;
        }

        /**
         * How often to report progress (default 5 s).
         *
         * @param value at least 10 ms
         * @return this builder
         */
        public Builder progressInterval(Duration value) {
            this.progressInterval = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * Connect and response timeout of each request (default 10 s).
         *
         * @param value at least 1 ms
         * @return this builder
         */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * Receives a report every progress interval, on the thread that called {@link LoadGenerator#run()}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder onProgress(Consumer<ProgressReport> listener) {
            this.onProgress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the generator
         * @throws IllegalArgumentException naming the first invalid field
         */
        public LoadGenerator build() {
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("targets: at least one is needed");
            }
            if (concurrency < 1 || concurrency > 1000) {
                throw new IllegalArgumentException("concurrency: must be 1..1000, was " + concurrency);
            }
            if (duration.isNegative()) {
                throw new IllegalArgumentException("duration: must not be negative, was " + duration);
            }
            if (!(rate >= 0 && rate <= 1_000_000)) {
                throw new IllegalArgumentException("rate: must be 0..1000000, was " + rate);
            }
            if (progressInterval.toMillis() < 10) {
                throw new IllegalArgumentException("progressInterval: must be at least 10ms, was " + progressInterval);
            }
            if (requestTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("requestTimeout: must be at least 1ms, was " + requestTimeout);
            }
            return new LoadGenerator(this);
        }
    }
}
