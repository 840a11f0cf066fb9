package io.github.perfkit.core.profiling;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

/**
 * One on-demand recording. Thread-safe.
 */
public interface ProfileRecording {

    /**
     * A short id, unique per profiler.
     *
     * @return the id
     */
    String id();

    /**
     * What the recording captures.
     *
     * @return the settings
     */
    ProfileSettings settings();

    /**
     * When it started.
     *
     * @return the start time
     */
    Instant startTime();

    /**
     * The planned duration.
     *
     * @return the duration
     */
    Duration duration();

    /**
     * Whether it has finished (by itself or by {@link #stop()}) and its file is written.
     *
     * @return {@code true} when finished
     */
    boolean isDone();

    /**
     * Stops the recording now and writes its file.
     *
     * @return the file
     */
    Path stop();

    /**
     * Waits until the recording has finished.
     *
     * @param timeout how long to wait at most
     * @return the file
     * @throws InterruptedException if interrupted while waiting
     * @throws TimeoutException if it is still running after {@code timeout}
     */
    Path await(Duration timeout) throws InterruptedException, TimeoutException;
}
