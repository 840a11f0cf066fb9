package io.github.perfkit.core.findings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable configuration of {@link ContinuousDiagnosis}. Build with {@link #builder()}; every
 * setting has a default ({@link #ofDefaults()}). Thread-safe.
 *
 * <p>Noise discipline: a candidate becomes a finding only when it holds for
 * {@link #persistenceWindows()} consecutive windows, reaches the absolute floor of its category, and
 * exceeds the culprit's own baseline (learned during the first {@link #learningWindows()} windows
 * and then from windows where it was not a finding) by the category's margin. It resolves after
 * {@link #persistenceWindows()} windows without the evidence.
 */
public final class DiagnosisConfig {

    /** Packages whose frames are never culprits by default: the JDK, common frameworks, drivers, Perfkit. */
    public static final List<String> DEFAULT_FRAMEWORK_PACKAGES = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.", "jakarta.", "kotlin.", "scala.",
            "org.springframework.", "org.apache.", "org.eclipse.jetty.", "io.netty.", "io.undertow.",
            "org.hibernate.", "com.zaxxer.hikari.", "org.h2.", "com.mysql.", "org.postgresql.", "oracle.jdbc.",
            "io.micrometer.", "org.slf4j.", "ch.qos.logback.", "com.fasterxml.jackson.", "reactor.",
            "io.lettuce.", "com.github.benmanes.caffeine.", "org.HdrHistogram.", "oshi.",
            // Perfkit's own modules, not the whole namespace: applications and examples may live below it.
            "io.github.perfkit.core.", "io.github.perfkit.cache.", "io.github.perfkit.alerts.",
            "io.github.perfkit.servlet.", "io.github.perfkit.spring.");

    private static final DiagnosisConfig DEFAULTS = builder().build();

    private final Duration window;
    private final int persistenceWindows;
    private final int learningWindows;
    private final double cpuShare;
    private final double cpuMinCores;
    private final double allocationShare;
    private final double allocationMinBytesPerSecond;
    private final double lockWaitFraction;
    private final double margin;
    private final int threadLeakWindows;
    private final int threadLeakMinGrowth;
    private final int memoryLeakWindows;
    private final long memoryLeakMinGrowth;
    private final List<String> frameworkPackages;
    private final int maxFindings;

    private DiagnosisConfig(Builder b) {
        this.window = b.window;
        this.persistenceWindows = b.persistenceWindows;
        this.learningWindows = b.learningWindows;
        this.cpuShare = b.cpuShare;
        this.cpuMinCores = b.cpuMinCores;
        this.allocationShare = b.allocationShare;
        this.allocationMinBytesPerSecond = b.allocationMinBytesPerSecond;
        this.lockWaitFraction = b.lockWaitFraction;
        this.margin = b.margin;
        this.threadLeakWindows = b.threadLeakWindows;
        this.threadLeakMinGrowth = b.threadLeakMinGrowth;
        this.memoryLeakWindows = b.memoryLeakWindows;
        this.memoryLeakMinGrowth = b.memoryLeakMinGrowth;
        this.frameworkPackages = List.copyOf(b.frameworkPackages);
        this.maxFindings = b.maxFindings;
    }

    /** @return the defaults */
    public static DiagnosisConfig ofDefaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return length of one analysis window (default 15 s) */
    public Duration window() {
        return window;
    }

    /** @return consecutive windows a candidate must hold before it is a finding, and lack before it resolves (default 2) */
    public int persistenceWindows() {
        return persistenceWindows;
    }

    /** @return windows spent learning the application's own baseline before anything is reported (default 2) */
    public int learningWindows() {
        return learningWindows;
    }

    /** @return the CPU-sample share from which a method is a hotspot candidate (default 0.2) */
    public double cpuShare() {
        return cpuShare;
    }

    /** @return the CPU a hotspot must burn on its own, in cores (default 0.25) */
    public double cpuMinCores() {
        return cpuMinCores;
    }

    /** @return the allocation share from which a method is an allocation candidate (default 0.3) */
    public double allocationShare() {
        return allocationShare;
    }

    /** @return the allocation rate a candidate must reach on its own, bytes per second (default 50 MB/s) */
    public double allocationMinBytesPerSecond() {
        return allocationMinBytesPerSecond;
    }

    /** @return summed waiting on one lock, as a fraction of the window, from which it is a candidate (default 0.5) */
    public double lockWaitFraction() {
        return lockWaitFraction;
    }

    /** @return how far above its own baseline a share must be, absolute (default 0.15) */
    public double margin() {
        return margin;
    }

    /** @return windows over which live threads of one name prefix must rise for a thread leak (default 5) */
    public int threadLeakWindows() {
        return threadLeakWindows;
    }

    /** @return threads of one name prefix that must have been added over those windows (default 20) */
    public int threadLeakMinGrowth() {
        return threadLeakMinGrowth;
    }

    /** @return windows over which the heap after GC must rise steadily for a memory leak (default 5) */
    public int memoryLeakWindows() {
        return memoryLeakWindows;
    }

    /** @return bytes the heap after GC must have grown by over those windows (default 64 MB) */
    public long memoryLeakMinGrowth() {
        return memoryLeakMinGrowth;
    }

    /** @return package prefixes whose frames are never culprits */
    public List<String> frameworkPackages() {
        return frameworkPackages;
    }

    /** @return findings kept, active and resolved (default 100) */
    public int maxFindings() {
        return maxFindings;
    }

    /** Builder of {@link DiagnosisConfig}; not thread-safe. */
    public static final class Builder {
        private Duration window = Duration.ofSeconds(15);
        private int persistenceWindows = 2;
        private int learningWindows = 2;
        private double cpuShare = 0.2;
        private double cpuMinCores = 0.25;
        private double allocationShare = 0.3;
        private double allocationMinBytesPerSecond = 50e6;
        private double lockWaitFraction = 0.5;
        private double margin = 0.15;
        private int threadLeakWindows = 5;
        private int threadLeakMinGrowth = 20;
        private int memoryLeakWindows = 5;
        private long memoryLeakMinGrowth = 64L * 1024 * 1024;
        private final List<String> frameworkPackages = new ArrayList<>(DEFAULT_FRAMEWORK_PACKAGES);
        private int maxFindings = 100;

        private Builder() {}

        /**
         * @param window analysis window, 1 s to 10 min
         * @return this builder
         */
        public Builder window(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("window must be between 1s and 10min, was " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * @param windows 1 to 100
         * @return this builder
         */
        public Builder persistenceWindows(int windows) {
            this.persistenceWindows = range("persistenceWindows", windows, 1, 100);
            return this;
        }

        /**
         * @param windows 0 to 100
         * @return this builder
         */
        public Builder learningWindows(int windows) {
            this.learningWindows = range("learningWindows", windows, 0, 100);
            return this;
        }

        /**
         * @param share in (0, 1]
         * @return this builder
         */
        public Builder cpuShare(double share) {
            this.cpuShare = share("cpuShare", share);
            return this;
        }

        /**
         * @param cores at least 0
         * @return this builder
         */
        public Builder cpuMinCores(double cores) {
            if (!(cores >= 0)) {
                throw new IllegalArgumentException("cpuMinCores must be at least 0, was " + cores);
            }
            this.cpuMinCores = cores;
            return this;
        }

        /**
         * @param share in (0, 1]
         * @return this builder
         */
        public Builder allocationShare(double share) {
            this.allocationShare = share("allocationShare", share);
            return this;
        }

        /**
         * @param bytesPerSecond at least 0
         * @return this builder
         */
        public Builder allocationMinBytesPerSecond(double bytesPerSecond) {
            if (!(bytesPerSecond >= 0)) {
                throw new IllegalArgumentException("allocationMinBytesPerSecond must be at least 0, was " + bytesPerSecond);
            }
            this.allocationMinBytesPerSecond = bytesPerSecond;
            return this;
        }

        /**
         * @param fraction in (0, 1]... or more (several threads can wait at once), at most 100
         * @return this builder
         */
        public Builder lockWaitFraction(double fraction) {
            if (!(fraction > 0 && fraction <= 100)) {
                throw new IllegalArgumentException("lockWaitFraction must be in (0, 100], was " + fraction);
            }
            this.lockWaitFraction = fraction;
            return this;
        }

        /**
         * @param margin in [0, 1)
         * @return this builder
         */
        public Builder margin(double margin) {
            if (!(margin >= 0 && margin < 1)) {
                throw new IllegalArgumentException("margin must be in [0, 1), was " + margin);
            }
            this.margin = margin;
            return this;
        }

        /**
         * @param windows 2 to 100
         * @return this builder
         */
        public Builder threadLeakWindows(int windows) {
            this.threadLeakWindows = range("threadLeakWindows", windows, 2, 100);
            return this;
        }

        /**
         * @param threads 1 to 100 000
         * @return this builder
         */
        public Builder threadLeakMinGrowth(int threads) {
            this.threadLeakMinGrowth = range("threadLeakMinGrowth", threads, 1, 100_000);
            return this;
        }

        /**
         * @param windows 3 to 100
         * @return this builder
         */
        public Builder memoryLeakWindows(int windows) {
            this.memoryLeakWindows = range("memoryLeakWindows", windows, 3, 100);
            return this;
        }

        /**
         * @param bytes at least 1
         * @return this builder
         */
        public Builder memoryLeakMinGrowth(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("memoryLeakMinGrowth must be at least 1, was " + bytes);
            }
            this.memoryLeakMinGrowth = bytes;
            return this;
        }

        /**
         * Adds a package prefix whose frames are never culprits (e.g. your own framework layer).
         *
         * @param prefix a package prefix such as {@code com.example.framework.}
         * @return this builder
         */
        public Builder frameworkPackage(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank()) {
                throw new IllegalArgumentException("frameworkPackage must not be blank");
            }
            frameworkPackages.add(prefix);
            return this;
        }

        /**
         * @param max 1 to 10 000
         * @return this builder
         */
        public Builder maxFindings(int max) {
            this.maxFindings = range("maxFindings", max, 1, 10_000);
            return this;
        }

        /** @return the configuration */
        public DiagnosisConfig build() {
            return new DiagnosisConfig(this);
        }

        private static int range(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + v);
            }
            return v;
        }

        private static double share(String name, double v) {
            if (!(v > 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be in (0, 1], was " + v);
            }
            return v;
        }
    }
}
