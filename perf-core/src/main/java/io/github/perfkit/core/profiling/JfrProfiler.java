package io.github.perfkit.core.profiling;

import io.github.perfkit.core.internal.profiling.DefaultJfrProfiler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Captures JDK Flight Recorder recordings: at most one on-demand recording at a time, and an optional
 * continuous low-overhead recording bounded by age and size whose recent past can be dumped. Files go
 * to {@link ProfilingConfig#directory()}, which holds at most {@link ProfilingConfig#maxFiles()} of
 * them and is emptied on {@link #close()}.
 *
 * <p>Events that carry environment variables, system properties, JVM arguments or the process list
 * ({@code jdk.InitialEnvironmentVariable}, {@code jdk.InitialSystemProperty}, {@code jdk.JVMInformation},
 * {@code jdk.SystemProcess}) are never recorded, so a recording can be shared without leaking secrets.
 *
 * <pre>{@code
 * try (JfrProfiler profiler = JfrProfiler.create(ProfilingConfig.ofDefaults())) {
 *     ProfileRecording rec = profiler.record(ProfileSettings.CPU, Duration.ofSeconds(30));
 *     Path file = rec.await(Duration.ofMinutes(1));
 *     ProfileResult result = ProfileAnalyzer.ofDefaults().analyze(file);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface JfrProfiler extends AutoCloseable {

    /**
     * A profiler writing to the configured directory.
     *
     * @param config the configuration
     * @return the profiler
     */
    static JfrProfiler create(ProfilingConfig config) {
        return new DefaultJfrProfiler(config);
    }

    /**
     * Starts an on-demand recording that stops by itself after {@code duration}.
     *
     * @param settings what to capture
     * @param duration how long, at most {@link ProfilingConfig#maxDuration()}
     * @return the running recording
     * @throws IllegalStateException if an on-demand recording is already running, or the profiler is closed
     * @throws IllegalArgumentException if the duration is not positive or above the maximum
     * @throws IOException if the directory cannot be prepared
     */
    ProfileRecording record(ProfileSettings settings, Duration duration) throws IOException;

    /**
     * The limits and settings this profiler was created with.
     *
     * @return the configuration
     */
    ProfilingConfig config();

    /**
     * The running on-demand recording, if any.
     *
     * @return the recording
     */
    Optional<ProfileRecording> current();

    /**
     * Starts the continuous recording (CPU samples every 20 ms, allocation samples, locks above the
     * threshold, GC), kept for {@link ProfilingConfig#continuousMaxAge()} and at most
     * {@link ProfilingConfig#continuousMaxSize()} bytes. Does nothing if it is already running.
     *
     * @throws IllegalStateException if the profiler is closed
     */
    void startContinuous();

    /**
     * Whether the continuous recording runs.
     *
     * @return {@code true} if it runs
     */
    boolean isContinuousRunning();

    /**
     * Writes what the continuous recording holds now to a new file in the directory.
     *
     * @return the file
     * @throws IllegalStateException if the continuous recording does not run
     * @throws IOException if the file cannot be written
     */
    Path dumpContinuous() throws IOException;

    /** Stops the continuous recording and discards its data. Does nothing if it does not run. */
    void stopContinuous();

    /** Stops every recording and deletes the files this profiler wrote. Idempotent. */
    @Override
    void close();
}
