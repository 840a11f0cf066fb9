package io.github.perfkit.core.health;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration of a {@link HealthRegistry}. Build with {@link #builder()}; every setting
 * has a default ({@link #ofDefaults()}). Thread-safe.
 */
public final class HealthConfig {

    /** Default timeout of a check registered without one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** Default time a check's result is reused, so that a scrape storm does not run checks again and again. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(1);
    /** Default number of worker threads, i.e. checks running at once. */
    public static final int DEFAULT_MAX_CONCURRENT_CHECKS = 4;
    /** Default number of checks that may wait for a worker thread. */
    public static final int DEFAULT_QUEUE_CAPACITY = 100;
    /** Default cap on registered checks. */
    public static final int DEFAULT_MAX_CHECKS = 100;

    private static final HealthConfig DEFAULTS = builder().build();

    private final Duration defaultTimeout;
    private final Duration cacheTtl;
    private final int maxConcurrentChecks;
    private final int queueCapacity;
    private final int maxChecks;

    private HealthConfig(Builder b) {
        this.defaultTimeout = b.defaultTimeout;
        this.cacheTtl = b.cacheTtl;
        this.maxConcurrentChecks = b.maxConcurrentChecks;
        this.queueCapacity = b.queueCapacity;
        this.maxChecks = b.maxChecks;
    }

    /**
     * The default configuration.
     *
     * @return the defaults
     */
    public static HealthConfig ofDefaults() {
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

    /** @return timeout of a check registered without one */
    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /** @return time a check's result is reused; zero means never reused */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** @return number of worker threads */
    public int maxConcurrentChecks() {
        return maxConcurrentChecks;
    }

    /** @return number of checks that may wait for a worker thread */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** @return cap on registered checks */
    public int maxChecks() {
        return maxChecks;
    }

    @Override
    public String toString() {
        return "HealthConfig{defaultTimeout=" + defaultTimeout + ", cacheTtl=" + cacheTtl + ", maxConcurrentChecks="
                + maxConcurrentChecks + ", queueCapacity=" + queueCapacity + ", maxChecks=" + maxChecks + '}';
    }

    /** Builder of {@link HealthConfig}; not thread-safe. */
    public static final class Builder {
        private Duration defaultTimeout = DEFAULT_TIMEOUT;
        private Duration cacheTtl = DEFAULT_CACHE_TTL;
        private int maxConcurrentChecks = DEFAULT_MAX_CONCURRENT_CHECKS;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private int maxChecks = DEFAULT_MAX_CHECKS;

        private Builder() {}

        /**
         * @param defaultTimeout timeout of a check registered without one, at least 1 ms
         * @return this builder
         */
        public Builder defaultTimeout(Duration defaultTimeout) {
            this.defaultTimeout = checkTimeout(defaultTimeout, "defaultTimeout");
            return this;
        }

        /**
         * @param cacheTtl time a check's result is reused, not negative; zero disables caching
         * @return this builder
         */
        public Builder cacheTtl(Duration cacheTtl) {
            Objects.requireNonNull(cacheTtl, "cacheTtl");
            if (cacheTtl.isNegative()) {
                throw new IllegalArgumentException("cacheTtl must not be negative, was " + cacheTtl);
            }
            this.cacheTtl = cacheTtl;
            return this;
        }

        /**
         * @param maxConcurrentChecks number of worker threads, 1 to 64
         * @return this builder
         */
        public Builder maxConcurrentChecks(int maxConcurrentChecks) {
            this.maxConcurrentChecks = inRange(maxConcurrentChecks, 1, 64, "maxConcurrentChecks");
            return this;
        }

        /**
         * @param queueCapacity number of checks that may wait for a worker thread, 1 to 10 000
         * @return this builder
         */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = inRange(queueCapacity, 1, 10_000, "queueCapacity");
            return this;
        }

        /**
         * @param maxChecks cap on registered checks, 1 to 10 000
         * @return this builder
         */
        public Builder maxChecks(int maxChecks) {
            this.maxChecks = inRange(maxChecks, 1, 10_000, "maxChecks");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the immutable configuration
         */
        public HealthConfig build() {
            return new HealthConfig(this);
        }

        private static int inRange(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
            }
            return value;
        }
    }

    /**
     * Validates a check timeout.
     *
     * @param timeout the timeout
     * @param name the setting's name for the error message
     * @return the timeout
     */
    static Duration checkTimeout(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(name + " must be in [1ms, 1h], was " + timeout);
        }
        return timeout;
    }
}
