package io.github.perfkit.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration of the {@link PerformanceTracker} and {@link Profiler}. Build with
 * {@link #builder()}; every setting has a default ({@link #ofDefaults()}). Thread-safe.
 */
public final class TrackerConfig {

    /** Default cap on distinct operations. */
    public static final int DEFAULT_MAX_OPERATIONS = 1_000;
    /** Default sliding window of the windowed statistics. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    /** Default number of slots the sliding window advances by. */
    public static final int DEFAULT_WINDOW_SLOTS = 6;
    /** Default cap on the nodes of one profile tree. */
    public static final int DEFAULT_MAX_TREE_NODES = 256;
    /** Default cap on the nesting depth of scopes on one thread. */
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** Default number of slowest trees kept. */
    public static final int DEFAULT_SLOWEST_TREES = 20;
    /** Default number of most recent trees kept. */
    public static final int DEFAULT_RECENT_TREES = 50;
    /** Default duration from which a request's tree is always kept. */
    public static final Duration DEFAULT_SLOW_REQUEST_THRESHOLD = Duration.ofMillis(500);
    /** Default fraction of other requests whose trees are kept. */
    public static final double DEFAULT_SAMPLING_RATE = 0.05;

    private static final TrackerConfig DEFAULTS = builder().build();

    private final boolean enabled;
    private final int maxOperations;
    private final Duration window;
    private final int windowSlots;
    private final int maxTreeNodes;
    private final int maxDepth;
    private final int slowestTrees;
    private final int recentTrees;
    private final Duration slowRequestThreshold;
    private final double samplingRate;

    private TrackerConfig(Builder b) {
        this.enabled = b.enabled;
        this.maxOperations = b.maxOperations;
        this.window = b.window;
        this.windowSlots = b.windowSlots;
        this.maxTreeNodes = b.maxTreeNodes;
        this.maxDepth = b.maxDepth;
        this.slowestTrees = b.slowestTrees;
        this.recentTrees = b.recentTrees;
        this.slowRequestThreshold = b.slowRequestThreshold;
        this.samplingRate = b.samplingRate;
    }

    /**
     * The default configuration.
     *
     * @return the defaults
     */
    public static TrackerConfig ofDefaults() {
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

    /** @return whether tracking starts enabled */
    public boolean enabled() {
        return enabled;
    }

    /** @return cap on distinct operations */
    public int maxOperations() {
        return maxOperations;
    }

    /** @return length of the sliding window */
    public Duration window() {
        return window;
    }

    /** @return number of slots the window advances by */
    public int windowSlots() {
        return windowSlots;
    }

    /** @return cap on nodes per profile tree */
    public int maxTreeNodes() {
        return maxTreeNodes;
    }

    /** @return cap on the nesting depth of scopes on one thread */
    public int maxDepth() {
        return maxDepth;
    }

    /** @return number of slowest trees kept */
    public int slowestTrees() {
        return slowestTrees;
    }

    /** @return number of most recent trees kept */
    public int recentTrees() {
        return recentTrees;
    }

    /** @return request duration from which a tree is always kept */
    public Duration slowRequestThreshold() {
        return slowRequestThreshold;
    }

    /**
     * @return initial fraction of other (not slow) requests whose trees are kept; below 1, at most ten such trees a
     *     second are kept, so a busy server does not build trees the bounded store drops a moment later
     */
    public double samplingRate() {
        return samplingRate;
    }

    @Override
    public String toString() {
        return "TrackerConfig{enabled=" + enabled + ", maxOperations=" + maxOperations + ", window=" + window
                + ", windowSlots=" + windowSlots + ", maxTreeNodes=" + maxTreeNodes + ", maxDepth=" + maxDepth
                + ", slowestTrees=" + slowestTrees + ", recentTrees=" + recentTrees
                + ", slowRequestThreshold=" + slowRequestThreshold + ", samplingRate=" + samplingRate + '}';
    }

    /** Builder of {@link TrackerConfig}; not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private int maxOperations = DEFAULT_MAX_OPERATIONS;
        private Duration window = DEFAULT_WINDOW;
        private int windowSlots = DEFAULT_WINDOW_SLOTS;
        private int maxTreeNodes = DEFAULT_MAX_TREE_NODES;
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private int slowestTrees = DEFAULT_SLOWEST_TREES;
        private int recentTrees = DEFAULT_RECENT_TREES;
        private Duration slowRequestThreshold = DEFAULT_SLOW_REQUEST_THRESHOLD;
        private double samplingRate = DEFAULT_SAMPLING_RATE;

        private Builder() {}

        /**
         * @param enabled whether tracking starts enabled
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * @param maxOperations cap on distinct operations, at least 1
         * @return this builder
         */
        public Builder maxOperations(int maxOperations) {
            this.maxOperations = positive(maxOperations, "maxOperations");
            return this;
        }

        /**
         * @param window length of the sliding window, at least one second
         * @return this builder
         */
        public Builder window(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("window must be at least 1s, was " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * @param windowSlots number of slots the window advances by, 1 to 60
         * @return this builder
         */
        public Builder windowSlots(int windowSlots) {
            if (windowSlots < 1 || windowSlots > 60) {
                throw new IllegalArgumentException("windowSlots must be in [1, 60], was " + windowSlots);
            }
            this.windowSlots = windowSlots;
            return this;
        }

        /**
         * @param maxTreeNodes cap on nodes per profile tree, at least 1
         * @return this builder
         */
        public Builder maxTreeNodes(int maxTreeNodes) {
            this.maxTreeNodes = positive(maxTreeNodes, "maxTreeNodes");
            return this;
        }

        /**
         * @param maxDepth cap on the nesting depth of scopes on one thread, at least 1
         * @return this builder
         */
        public Builder maxDepth(int maxDepth) {
            this.maxDepth = positive(maxDepth, "maxDepth");
            return this;
        }

        /**
         * @param slowestTrees number of slowest trees kept, at least 1
         * @return this builder
         */
        public Builder slowestTrees(int slowestTrees) {
            this.slowestTrees = positive(slowestTrees, "slowestTrees");
            return this;
        }

        /**
         * @param recentTrees number of most recent trees kept, at least 1
         * @return this builder
         */
        public Builder recentTrees(int recentTrees) {
            this.recentTrees = positive(recentTrees, "recentTrees");
            return this;
        }

        /**
         * @param threshold request duration from which a tree is always kept, not negative
         * @return this builder
         */
        public Builder slowRequestThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "slowRequestThreshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("slowRequestThreshold must not be negative, was " + threshold);
            }
            this.slowRequestThreshold = threshold;
            return this;
        }

        /**
         * @param samplingRate fraction in [0, 1] of other (not slow) requests whose trees are kept; below 1, at most
         *     ten such trees a second (1 keeps every tree, e.g. in tests)
         * @return this builder
         */
        public Builder samplingRate(double samplingRate) {
            this.samplingRate = checkRate(samplingRate);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException if the window is not a whole number of milliseconds per slot
         */
        public TrackerConfig build() {
            if (window.toMillis() % windowSlots != 0) {
                throw new IllegalArgumentException(
                        "window (" + window + ") must divide evenly into windowSlots (" + windowSlots + ")");
            }
            return new TrackerConfig(this);
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }
    }

    static double checkRate(double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("samplingRate must be in [0, 1], was " + rate);
        }
        return rate;
    }
}
