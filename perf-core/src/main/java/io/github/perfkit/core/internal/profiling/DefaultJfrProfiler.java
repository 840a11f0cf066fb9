package io.github.perfkit.core.internal.profiling;

import io.github.perfkit.core.profiling.JfrProfiler;
import io.github.perfkit.core.profiling.ProfileRecording;
import io.github.perfkit.core.profiling.ProfileSettings;
import io.github.perfkit.core.profiling.ProfilingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JfrProfiler} on {@code jdk.jfr.Recording}. On-demand recordings are stopped by a daemon
 * timer thread ({@code perfkit-jfr}) and dumped to a file Perfkit names, so the file is complete when
 * the recording reports done. Thread-safe: state changes happen under one lock.
 */
public final class DefaultJfrProfiler implements JfrProfiler {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultJfrProfiler.class);

    /** Events never recorded: they carry environment variables, system properties, JVM arguments, processes. */
    public static final List<String> EXCLUDED_EVENTS = List.of(
            "jdk.InitialEnvironmentVariable", "jdk.InitialSystemProperty", "jdk.JVMInformation", "jdk.SystemProcess");

    private static final Duration CONTINUOUS_CPU_PERIOD = Duration.ofMillis(20);

    private final ProfilingConfig config;
    private final Object lock = new Object();
    private final Deque<Path> files = new ArrayDeque<>(); // oldest first; lock
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService timer;
    private @Nullable OnDemand current; // lock
    private @Nullable Recording continuous; // lock
    private boolean closed; // lock

    /**
     * @param config the configuration
     */
    public DefaultJfrProfiler(ProfilingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "perfkit-jfr");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    @Override
    public ProfileRecording record(ProfileSettings settings, Duration duration) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero() || duration.compareTo(config.maxDuration()) > 0) {
            throw new IllegalArgumentException("duration must be positive and at most " + config.maxDuration()
                    + ", was " + duration);
        }
        synchronized (lock) {
            ensureOpen();
            if (current != null && !current.isDone()) {
                throw new IllegalStateException("a profile recording is already running (id " + current.id
                        + ", started " + current.start + ", " + current.duration + "); stop it or wait for it to end");
            }
            prepareDirectory();
            String id = Long.toString(ids.incrementAndGet());
            Recording recording = new Recording(settingsFor(settings, config.cpuPeriod()));
            recording.setName("perfkit-" + id);
            recording.setToDisk(true);
            recording.start();
            OnDemand od = new OnDemand(id, settings, Instant.now(), duration, recording);
            od.stopTask = timer.schedule(od::stop, duration.toMillis(), TimeUnit.MILLISECONDS);
            current = od;
            return od;
        }
    }

    @Override
    public ProfilingConfig config() {
        return config;
    }

    @Override
    public Optional<ProfileRecording> current() {
        synchronized (lock) {
            return current == null || current.isDone() ? Optional.empty() : Optional.of(current);
        }
    }

    @Override
    public void startContinuous() {
        synchronized (lock) {
            ensureOpen();
            if (continuous != null) {
                return;
            }
            Recording r = new Recording(settingsFor(ProfileSettings.ALL, CONTINUOUS_CPU_PERIOD));
            r.setName("perfkit-continuous");
            r.setToDisk(true);
            r.setMaxAge(config.continuousMaxAge());
            r.setMaxSize(config.continuousMaxSize());
            r.start();
            continuous = r;
        }
    }

    @Override
    public boolean isContinuousRunning() {
        synchronized (lock) {
            return continuous != null;
        }
    }

    @Override
    public Path dumpContinuous() throws IOException {
        synchronized (lock) {
            ensureOpen();
            if (continuous == null) {
                throw new IllegalStateException("the continuous recording does not run; call startContinuous() first");
            }
            prepareDirectory();
            Path file = newFile("continuous");
            continuous.dump(file);
            return file;
        }
    }

    @Override
    public void stopContinuous() {
        synchronized (lock) {
            if (continuous != null) {
                continuous.close();
                continuous = null;
            }
        }
    }

    @Override
    public void close() {
        OnDemand running;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            running = current;
            stopContinuous();
        }
        if (running != null) {
            running.discard();
        }
        timer.shutdownNow();
        synchronized (lock) {
            for (Path f : files) {
                deleteQuietly(f);
            }
            files.clear();
        }
        try {
            Files.deleteIfExists(config.directory());
        } catch (IOException e) {
            LOG.debug("Perfkit: could not remove the profiling directory {}", config.directory(), e);
        }
    }

    /** JFR settings for {@code settings}: JFR's default configuration plus the chosen events, minus the excluded ones. */
    Map<String, String> settingsFor(ProfileSettings settings, Duration cpuPeriod) {
        Map<String, String> s;
        try {
            s = new HashMap<>(Configuration.getConfiguration("default").getSettings());
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("JFR's default configuration cannot be read", e);
        }
        boolean all = settings == ProfileSettings.ALL;
        if (all || settings == ProfileSettings.CPU) {
            s.put("jdk.ExecutionSample#enabled", "true");
            s.put("jdk.ExecutionSample#period", cpuPeriod.toMillis() + " ms");
        }
        if (all || settings == ProfileSettings.ALLOCATION) {
            s.put("jdk.ObjectAllocationSample#enabled", "true");
            s.put("jdk.ObjectAllocationSample#throttle", "300/s");
            s.put("jdk.ObjectAllocationSample#stackTrace", "true");
        }
        if (all || settings == ProfileSettings.LOCKS) {
            for (String event : List.of("jdk.JavaMonitorEnter", "jdk.ThreadPark")) {
                s.put(event + "#enabled", "true");
                s.put(event + "#stackTrace", "true");
            }
        }
        // The configured lock threshold applies whatever the settings, so JFR's default 20 ms does not
        // silently override it.
        String threshold = config.lockThreshold().toMillis() + " ms";
        s.put("jdk.JavaMonitorEnter#threshold", threshold);
        s.put("jdk.ThreadPark#threshold", threshold);
        for (String event : EXCLUDED_EVENTS) {
            s.put(event + "#enabled", "false");
        }
        return s;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the profiler is closed");
        }
    }

    private void prepareDirectory() throws IOException {
        Path dir = config.directory();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // Recordings hold stack traces and class names of the application: owner only.
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    /** A new file name in the directory; deletes the oldest files beyond the cap. Lock held. */
    private Path newFile(String kind) {
        Path file = config.directory().resolve("perfkit-" + kind + "-" + ids.incrementAndGet() + "-"
                + System.currentTimeMillis() + ".jfr");
        files.addLast(file);
        while (files.size() > config.maxFiles()) {
            deleteQuietly(files.removeFirst());
        }
        return file;
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.debug("Perfkit: could not delete the recording {}", f, e);
        }
    }

    private final class OnDemand implements ProfileRecording {
        private final String id;
        private final ProfileSettings settings;
        private final Instant start;
        private final Duration duration;
        private final Recording recording;
        private final CompletableFuture<Path> done = new CompletableFuture<>();
        private volatile @Nullable ScheduledFuture<?> stopTask;

        OnDemand(String id, ProfileSettings settings, Instant start, Duration duration, Recording recording) {
            this.id = id;
            this.settings = settings;
            this.start = start;
            this.duration = duration;
            this.recording = recording;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public ProfileSettings settings() {
            return settings;
        }

        @Override
        public Instant startTime() {
            return start;
        }

        @Override
        public Duration duration() {
            return duration;
        }

        @Override
        public boolean isDone() {
            return done.isDone();
        }

        @Override
        public Path stop() {
            synchronized (this) {
                if (!done.isDone()) {
                    ScheduledFuture<?> task = stopTask;
                    if (task != null) {
                        task.cancel(false);
                    }
                    try {
                        recording.stop();
                        Path file;
                        synchronized (lock) {
                            prepareDirectory();
                            file = newFile(id);
                        }
                        recording.dump(file);
                        done.complete(file);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Perfkit: profile recording {} could not be written: {}", id, e.toString());
                        done.completeExceptionally(e);
                    } finally {
                        recording.close();
                    }
                }
            }
            return join();
        }

        void discard() {
            synchronized (this) {
                if (!done.isDone()) {
                    ScheduledFuture<?> task = stopTask;
                    if (task != null) {
                        task.cancel(false);
                    }
                    recording.close();
                    done.completeExceptionally(new IllegalStateException("the profiler was closed"));
                }
            }
        }

        @Override
        public Path await(Duration timeout) throws InterruptedException, TimeoutException {
            Objects.requireNonNull(timeout, "timeout");
            try {
                return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw failure(e.getCause());
            }
        }

        private Path join() {
            try {
                return done.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw failure(e.getCause());
            }
        }

        private RuntimeException failure(Throwable cause) {
            if (cause instanceof IOException io) {
                return new UncheckedIOException("profile recording " + id + " could not be written", io);
            }
            return cause instanceof RuntimeException re ? re
                    : new IllegalStateException("profile recording " + id + " failed", cause);
        }
    }
}
