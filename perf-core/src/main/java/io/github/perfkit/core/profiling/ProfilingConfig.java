package io.github.perfkit.core.profiling;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration of a {@link JfrProfiler}. Build with {@link #builder()}; every setting has
 * a default ({@link #ofDefaults()}). Thread-safe.
 */
public final class ProfilingConfig {

    /** Default cap on the recording files kept in the directory. */
    public static final int DEFAULT_MAX_FILES = 8;
    /** Default longest on-demand recording. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(5);
    /** Default age of the data the continuous recording keeps. */
    public static final Duration DEFAULT_CONTINUOUS_MAX_AGE = Duration.ofMinutes(10);
    /** Default size of the data the continuous recording keeps. */
    public static final long DEFAULT_CONTINUOUS_MAX_SIZE = 64L * 1024 * 1024;
    /** Default threshold above which monitor entries and parks are recorded. */
    public static final Duration DEFAULT_LOCK_THRESHOLD = Duration.ofMillis(10);
    /** Default CPU sampling period. */
    public static final Duration DEFAULT_CPU_PERIOD = Duration.ofMillis(10);

    private static final ProfilingConfig DEFAULTS = builder().build();

    private final Path directory;
    private final int maxFiles;
    private final Duration maxDuration;
    private final Duration continuousMaxAge;
    private final long continuousMaxSize;
    private final Duration lockThreshold;
    private final Duration cpuPeriod;

    private ProfilingConfig(Builder b) {
        this.directory = b.directory != null ? b.directory
                : Path.of(System.getProperty("java.io.tmpdir"), "perfkit-jfr-" + ProcessHandle.current().pid());
        this.maxFiles = b.maxFiles;
        this.maxDuration = b.maxDuration;
        this.continuousMaxAge = b.continuousMaxAge;
        this.continuousMaxSize = b.continuousMaxSize;
        this.lockThreshold = b.lockThreshold;
        this.cpuPeriod = b.cpuPeriod;
    }

    /**
     * The defaults.
     *
     * @return the default configuration
     */
    public static ProfilingConfig ofDefaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the directory recording files are written to (created on demand, emptied on close) */
    public Path directory() {
        return directory;
    }

    /** @return how many recording files are kept; the oldest are deleted beyond it */
    public int maxFiles() {
        return maxFiles;
    }

    /** @return the longest on-demand recording */
    public Duration maxDuration() {
        return maxDuration;
    }

    /** @return how much history the continuous recording keeps, by age */
    public Duration continuousMaxAge() {
        return continuousMaxAge;
    }

    /** @return how much history the continuous recording keeps, in bytes */
    public long continuousMaxSize() {
        return continuousMaxSize;
    }

    /** @return the threshold above which monitor entries and parks are recorded */
    public Duration lockThreshold() {
        return lockThreshold;
    }

    /** @return the CPU sampling period of on-demand CPU recordings */
    public Duration cpuPeriod() {
        return cpuPeriod;
    }

    /** Builder of {@link ProfilingConfig}; not thread-safe. */
    public static final class Builder {
        private Path directory;
        private int maxFiles = DEFAULT_MAX_FILES;
        private Duration maxDuration = DEFAULT_MAX_DURATION;
        private Duration continuousMaxAge = DEFAULT_CONTINUOUS_MAX_AGE;
        private long continuousMaxSize = DEFAULT_CONTINUOUS_MAX_SIZE;
        private Duration lockThreshold = DEFAULT_LOCK_THRESHOLD;
        private Duration cpuPeriod = DEFAULT_CPU_PERIOD;

        private Builder() {}

        /**
         * @param directory where recording files go (default: a per-process directory under {@code java.io.tmpdir})
         * @return this builder
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * @param maxFiles recording files kept, 1 to 1000 (default {@value #DEFAULT_MAX_FILES})
         * @return this builder
         */
        public Builder maxFiles(int maxFiles) {
            if (maxFiles < 1 || maxFiles > 1000) {
                throw new IllegalArgumentException("maxFiles must be between 1 and 1000, was " + maxFiles);
            }
            this.maxFiles = maxFiles;
            return this;
        }

        /**
         * @param maxDuration the longest on-demand recording, 1 s to 1 h (default 5 min)
         * @return this builder
         */
        public Builder maxDuration(Duration maxDuration) {
            this.maxDuration = between("maxDuration", maxDuration, Duration.ofSeconds(1), Duration.ofHours(1));
            return this;
        }

        /**
         * @param maxAge age of the data the continuous recording keeps, 10 s to 1 day (default 10 min)
         * @return this builder
         */
        public Builder continuousMaxAge(Duration maxAge) {
            this.continuousMaxAge = between("continuousMaxAge", maxAge, Duration.ofSeconds(10), Duration.ofDays(1));
            return this;
        }

        /**
         * @param bytes size of the data the continuous recording keeps, 1 MB to 4 GB (default 64 MB)
         * @return this builder
         */
        public Builder continuousMaxSize(long bytes) {
            if (bytes < 1024 * 1024 || bytes > 4L * 1024 * 1024 * 1024) {
                throw new IllegalArgumentException("continuousMaxSize must be between 1 MB and 4 GB, was " + bytes);
            }
            this.continuousMaxSize = bytes;
            return this;
        }

        /**
         * @param threshold monitor entries and parks shorter than this are not recorded, 0 to 10 s (default 10 ms)
         * @return this builder
         */
        public Builder lockThreshold(Duration threshold) {
            this.lockThreshold = between("lockThreshold", threshold, Duration.ZERO, Duration.ofSeconds(10));
            return this;
        }

        /**
         * @param period CPU sampling period, 1 ms to 1 s (default 10 ms)
         * @return this builder
         */
        public Builder cpuPeriod(Duration period) {
            this.cpuPeriod = between("cpuPeriod", period, Duration.ofMillis(1), Duration.ofSeconds(1));
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public ProfilingConfig build() {
            return new ProfilingConfig(this);
        }

        private static Duration between(String name, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }
    }
}
