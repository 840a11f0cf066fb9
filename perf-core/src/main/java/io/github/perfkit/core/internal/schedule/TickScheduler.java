package io.github.perfkit.core.internal.schedule;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Perfkit's periodic jobs (collection ticks, history sampling) on one daemon platform thread.
 * Thread-safe.
 *
 * <p>Each job runs on a fixed grid ({@code start + k * period}) without catch-up: a run never overlaps
 * another run (there is one thread), a slow run delays the job's next run, and grid points missed while
 * it ran are skipped and counted rather than run back to back. A job that throws is counted and logged
 * (the first {@value #LOG_FIRST_FAILURES} failures per job, then at most once a minute per job) and stays
 * scheduled. Because all jobs share the thread, a slow job delays the others too; jobs should be short.
 *
 * <p>Why not {@link ScheduledThreadPoolExecutor#scheduleAtFixedRate}: after a slow run it fires the
 * overdue runs back to back (a catch-up storm) and cannot say how many were missed. Why not
 * {@link ScheduledThreadPoolExecutor#scheduleWithFixedDelay}: it drifts by the run time every period,
 * which misaligns samples. So each run re-schedules itself as a one-shot task at the next grid point still
 * in the future, on a single-thread {@code ScheduledThreadPoolExecutor} (which keeps the waiting, the
 * thread's life cycle and {@code setRemoveOnCancelPolicy(true)} for cancelled jobs).
 *
 * <p>Run timing uses real time ({@link System#nanoTime()}); the injected clock stamps successes and
 * rate-limits logging.
 */
public final class TickScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TickScheduler.class);
    /** Failures per job logged with a stack trace before rate limiting starts. */
    static final int LOG_FIRST_FAILURES = 3;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_JOBS = 256;
    private static final int MAX_NAME_LENGTH = 64;

    private final String threadName;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicReference<@Nullable Thread> thread = new AtomicReference<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile boolean closed;

    /**
     * A scheduler using the system clock.
     *
     * @param threadName name of the scheduler's thread, e.g. {@code perfkit-tick}
     */
    public TickScheduler(String threadName) {
        this(threadName, Clock.SYSTEM);
    }

    /**
     * A scheduler. Its thread starts with the first job.
     *
     * @param threadName name of the scheduler's thread, e.g. {@code perfkit-tick}
     * @param clock clock stamping successful runs and rate-limiting failure logs
     */
    public TickScheduler(String threadName, Clock clock) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (threadName.isBlank()) {
            throw new IllegalArgumentException("threadName must not be blank");
        }
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, this.threadName);
            t.setDaemon(true);
            thread.set(t);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /**
     * Schedules a job whose first run is one period from now.
     *
     * @param jobName unique name among scheduled jobs, 1 to 64 characters
     * @param period time between runs, at least 1 ms
     * @param job the work
     * @return the job's handle
     * @throws IllegalArgumentException if the name is invalid or taken, the period too short, or too
     *     many jobs are scheduled
     * @throws IllegalStateException if the scheduler is closed
     */
    public Job schedule(String jobName, Duration period, Runnable job) {
        return schedule(jobName, period, period, job);
    }

    /**
     * Schedules a job.
     *
     * @param jobName unique name among scheduled jobs, 1 to 64 characters
     * @param initialDelay time until the first run, not negative
     * @param period time between runs, at least 1 ms
     * @param job the work
     * @return the job's handle
     * @throws IllegalArgumentException if the name is invalid or taken, a duration out of range, or too
     *     many jobs are scheduled
     * @throws IllegalStateException if the scheduler is closed
     */
    public Job schedule(String jobName, Duration initialDelay, Duration period, Runnable job) {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(job, "job");
        if (jobName.isBlank() || jobName.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("jobName must be 1 to " + MAX_NAME_LENGTH + " non-blank characters, was '"
                    + jobName + "'");
        }
        if (period.toMillis() < 1) {
            throw new IllegalArgumentException("period must be at least 1ms, was " + period);
        }
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must not be negative, was " + initialDelay);
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("tick scheduler '" + threadName + "' is closed; cannot schedule '"
                        + jobName + "'");
            }
            if (jobs.containsKey(jobName)) {
                throw new IllegalArgumentException("a job named '" + jobName + "' is already scheduled");
            }
            if (jobs.size() >= MAX_JOBS) {
                throw new IllegalArgumentException("cannot schedule '" + jobName + "': " + MAX_JOBS + " jobs already scheduled");
            }
            Job j = new Job(jobName, period, job);
            jobs.put(jobName, j);
            j.start(initialDelay.toNanos());
            return j;
        }
    }

    /**
     * When a scheduled job last ran without throwing.
     *
     * @param jobName the job's name
     * @return the time of the last success, empty if it has not succeeded yet or is not scheduled
     */
    public Optional<Instant> lastSuccess(String jobName) {
        Job j = jobs.get(Objects.requireNonNull(jobName, "jobName"));
        return j == null ? Optional.empty() : j.lastSuccess();
    }

    /**
     * Time since a scheduled job last ran without throwing, for a health check.
     *
     * @param jobName the job's name
     * @return time since the last success, or since the job was scheduled if it has not succeeded yet
     * @throws IllegalArgumentException if no job of that name is scheduled
     */
    public Duration timeSinceLastSuccess(String jobName) {
        Job j = jobs.get(Objects.requireNonNull(jobName, "jobName"));
        if (j == null) {
            throw new IllegalArgumentException("no job named '" + jobName + "' is scheduled");
        }
        return j.timeSinceLastSuccess();
    }

    /**
     * Cancels all jobs, interrupts a running one, and waits up to 5 s for the thread to end. Idempotent;
     * when called from a job, does not wait.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Job j : new ArrayList<>(jobs.values())) {
                j.cancel();
            }
        }
        executor.shutdownNow();
        Thread t = thread.get();
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        try {
            executor.awaitTermination(CLOSE_WAIT_NANOS, TimeUnit.NANOSECONDS);
            // Termination is signalled just before the worker thread exits; join so that none is left.
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
            if (t.isAlive()) {
                LOG.warn("Tick thread '{}' still running 5 s after close: a job ignores interruption", threadName);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A scheduled job's handle and counters; thread-safe. */
    public final class Job {
        private final String name;
        private final Duration period;
        private final long periodNanos;
        private final Runnable task;
        private final AtomicLong runs = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final long scheduledAtNanos = clock.monotonicTime();
        private volatile long lastSuccessWallMillis = -1;
        private volatile long lastSuccessNanos;
        private volatile boolean cancelled;
        private volatile @Nullable ScheduledFuture<?> future;
        // Only touched on the tick thread.
        private long due;
        private long lastLogNanos;
        private long failuresSinceLog;

        private Job(String name, Duration period, Runnable task) {
            this.name = name;
            this.period = period;
            this.periodNanos = period.toNanos();
            this.task = task;
        }

        private void start(long initialDelayNanos) {
            due = System.nanoTime() + initialDelayNanos;
            submit(initialDelayNanos);
        }

        private void submit(long delayNanos) {
            try {
                future = executor.schedule(this::runOnce, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                cancelled = true; // closed concurrently
                jobs.remove(name, this);
                return;
            }
            if (cancelled) { // cancel() ran between our check and the assignment of future
                ScheduledFuture<?> f = future;
                if (f != null) {
                    f.cancel(false);
                }
            }
        }

        private void runOnce() {
            if (cancelled) {
                return;
            }
            try {
                task.run();
                lastSuccessNanos = clock.monotonicTime();
                lastSuccessWallMillis = clock.wallTime();
            } catch (Throwable t) { // a failing job must not kill the tick thread or its schedule
                failures.incrementAndGet();
                logFailure(t);
            } finally {
                runs.incrementAndGet();
            }
            if (cancelled || closed) {
                return;
            }
            long next = due + periodNanos;
            long now = System.nanoTime();
            if (next - now < 0) {
                long missed = (now - next) / periodNanos + 1;
                skipped.addAndGet(missed);
                next += missed * periodNanos;
            }
            due = next;
            submit(Math.max(0, next - now));
        }

        private void logFailure(Throwable t) {
            long n = failures.get();
            long now = clock.monotonicTime();
            if (n <= LOG_FIRST_FAILURES) {
                LOG.warn("Job '{}' on '{}' failed (failure {}, it stays scheduled)", name, threadName, n, t);
                lastLogNanos = now;
            } else if (now - lastLogNanos >= LOG_INTERVAL_NANOS) {
                LOG.warn("Job '{}' on '{}' failed again; {} failures since the last log, {} in total", name, threadName,
                        failuresSinceLog + 1, n, t);
                lastLogNanos = now;
                failuresSinceLog = 0;
            } else {
                failuresSinceLog++;
            }
        }

        /** Stops the job: no run starts after this returns (a run in progress finishes). Idempotent. */
        public void cancel() {
            cancelled = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
            jobs.remove(name, this);
        }

        /** @return the job's name */
        public String name() {
            return name;
        }

        /** @return the period between runs */
        public Duration period() {
            return period;
        }

        /** @return whether {@link #cancel()} was called or the scheduler closed */
        public boolean isCancelled() {
            return cancelled;
        }

        /** @return number of completed runs, successful or not */
        public long runs() {
            return runs.get();
        }

        /** @return number of runs that threw */
        public long failures() {
            return failures.get();
        }

        /** @return number of grid points skipped because a run was still going (no catch-up) */
        public long skipped() {
            return skipped.get();
        }

        /** @return time of the last successful run, empty if none yet */
        public Optional<Instant> lastSuccess() {
            long wall = lastSuccessWallMillis;
            return wall < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(wall));
        }

        /** @return time since the last successful run, or since scheduling if none yet */
        public Duration timeSinceLastSuccess() {
            long since = lastSuccessWallMillis < 0 ? scheduledAtNanos : lastSuccessNanos;
            return Duration.ofNanos(Math.max(0, clock.monotonicTime() - since));
        }

        @Override
        public String toString() {
            return "Job{" + name + ", period=" + period + ", runs=" + runs + ", failures=" + failures + ", skipped="
                    + skipped + (cancelled ? ", cancelled" : "") + '}';
        }
    }
}
