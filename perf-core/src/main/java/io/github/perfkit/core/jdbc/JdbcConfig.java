package io.github.perfkit.core.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link PerfDataSource}. Immutable: build with {@link #builder()}; every setting has a
 * default ({@link #ofDefaults()}). Thread-safe.
 */
public final class JdbcConfig {

    /** Default {@link #name()}. */
    public static final String DEFAULT_NAME = "default";
    /** Default {@link #nPlusOneThreshold()}. */
    public static final int DEFAULT_N_PLUS_ONE_THRESHOLD = 10;
    /** Default {@link #slowThreshold()}. */
    public static final Duration DEFAULT_SLOW_THRESHOLD = Duration.ofMillis(200);
    /** Default {@link #maxShapes()}. */
    public static final int DEFAULT_MAX_SHAPES = 500;
    /** Default {@link #maxShapeLength()}. */
    public static final int DEFAULT_MAX_SHAPE_LENGTH = 2_000;
    /** Default {@link #maxFindings()}. */
    public static final int DEFAULT_MAX_FINDINGS = 200;
    /** Default {@link #healthTimeout()}. */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(2);
    /** Default {@link #frameworkPackages()}: ORMs, pools, Spring, servlet containers and test runners. */
    public static final List<String> DEFAULT_FRAMEWORK_PACKAGES = List.of("org.springframework.", "org.hibernate.",
            "org.apache.ibatis.", "org.mybatis.", "org.jooq.", "org.jdbi.", "org.eclipse.persistence.",
            "com.zaxxer.hikari.", "org.apache.commons.dbcp2.", "org.apache.tomcat.", "org.apache.catalina.",
            "org.eclipse.jetty.", "io.undertow.", "jakarta.", "javax.", "org.junit.", "org.gradle.",
            "org.apache.maven.", "kotlin.", "scala.", "groovy.", "org.codehaus.groovy.");
    /** Default {@link #driverPackages()}: common JDBC drivers. */
    public static final List<String> DEFAULT_DRIVER_PACKAGES = List.of("org.h2.", "org.postgresql.", "com.mysql.",
            "org.mariadb.", "oracle.jdbc.", "com.microsoft.sqlserver.", "org.hsqldb.", "org.apache.derby.",
            "org.sqlite.", "com.ibm.db2.", "net.sourceforge.jtds.", "org.firebirdsql.");

    private static final int MIN_SHAPE_LENGTH = 16;

    private final String name;
    private final int nPlusOneThreshold;
    private final Duration slowThreshold;
    private final int maxShapes;
    private final int maxShapeLength;
    private final int maxFindings;
    private final Duration healthTimeout;
    private final List<String> frameworkPackages;
    private final List<String> driverPackages;
    private final boolean profileStatements;

    private JdbcConfig(Builder b) {
        this.name = b.name;
        this.nPlusOneThreshold = b.nPlusOneThreshold;
        this.slowThreshold = b.slowThreshold;
        this.maxShapes = b.maxShapes;
        this.maxShapeLength = b.maxShapeLength;
        this.maxFindings = b.maxFindings;
        this.healthTimeout = b.healthTimeout;
        this.frameworkPackages = b.frameworkPackages;
        this.driverPackages = b.driverPackages;
        this.profileStatements = b.profileStatements;
    }

    /**
     * The default configuration.
     *
     * @return the defaults
     */
    public static JdbcConfig ofDefaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Name of the data source, used as the {@code datasource} tag of its meters.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * A statement shape executed more than this many times inside one request is an N+1 finding.
     *
     * @return the threshold
     */
    public int nPlusOneThreshold() {
        return nPlusOneThreshold;
    }

    /**
     * Executions taking at least this long are slow.
     *
     * @return the slow-statement threshold
     */
    public Duration slowThreshold() {
        return slowThreshold;
    }

    /**
     * Cap on distinct statement shapes kept; further shapes are counted under one overflow shape.
     *
     * @return the cap
     */
    public int maxShapes() {
        return maxShapes;
    }

    /**
     * Cap on the length of a shape's text.
     *
     * @return the cap in characters
     */
    public int maxShapeLength() {
        return maxShapeLength;
    }

    /**
     * Cap on N+1 findings kept; beyond it new findings are counted but not kept.
     *
     * @return the cap
     */
    public int maxFindings() {
        return maxFindings;
    }

    /**
     * How long the health check waits for a connection to validate.
     *
     * @return the timeout
     */
    public Duration healthTimeout() {
        return healthTimeout;
    }

    /**
     * Package prefixes skipped, besides the JDK, drivers and Perfkit, when looking for the application call
     * site of a statement.
     *
     * @return the prefixes
     */
    public List<String> frameworkPackages() {
        return frameworkPackages;
    }

    /**
     * Package prefixes of JDBC drivers, skipped when looking for the application call site.
     *
     * @return the prefixes
     */
    public List<String> driverPackages() {
        return driverPackages;
    }

    /**
     * Whether each statement execution becomes a {@code jdbc.statement} node of the request's profile tree
     * (tagged with its shape); query counts are kept either way.
     *
     * @return {@code true} when statements are profiled
     */
    public boolean profileStatements() {
        return profileStatements;
    }

    @Override
    public String toString() {
        return "JdbcConfig[name=" + name + ", nPlusOneThreshold=" + nPlusOneThreshold + ", slowThreshold="
                + slowThreshold + ", maxShapes=" + maxShapes + ", maxShapeLength=" + maxShapeLength
                + ", maxFindings=" + maxFindings + ", healthTimeout=" + healthTimeout + ", profileStatements="
                + profileStatements + "]";
    }

    /** Builds a {@link JdbcConfig}; each setter checks its argument and names it. Not thread-safe. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private int nPlusOneThreshold = DEFAULT_N_PLUS_ONE_THRESHOLD;
        private Duration slowThreshold = DEFAULT_SLOW_THRESHOLD;
        private int maxShapes = DEFAULT_MAX_SHAPES;
        private int maxShapeLength = DEFAULT_MAX_SHAPE_LENGTH;
        private int maxFindings = DEFAULT_MAX_FINDINGS;
        private Duration healthTimeout = DEFAULT_HEALTH_TIMEOUT;
        private List<String> frameworkPackages = DEFAULT_FRAMEWORK_PACKAGES;
        private List<String> driverPackages = DEFAULT_DRIVER_PACKAGES;
        private boolean profileStatements = true;

        private Builder() {}

        /**
         * @param name data source name, not blank
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * @param threshold executions of one shape per request above which it is an N+1, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code threshold} is below 1
         */
        public Builder nPlusOneThreshold(int threshold) {
            this.nPlusOneThreshold = atLeast(threshold, 1, "nPlusOneThreshold");
            return this;
        }

        /**
         * @param threshold duration from which an execution is slow, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code threshold} is zero or negative
         */
        public Builder slowThreshold(Duration threshold) {
            this.slowThreshold = positive(threshold, "slowThreshold");
            return this;
        }

        /**
         * @param maxShapes cap on distinct shapes, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxShapes} is below 1
         */
        public Builder maxShapes(int maxShapes) {
            this.maxShapes = atLeast(maxShapes, 1, "maxShapes");
            return this;
        }

        /**
         * @param maxShapeLength cap on a shape's length, at least 16
         * @return this builder
         * @throws IllegalArgumentException if {@code maxShapeLength} is below 16
         */
        public Builder maxShapeLength(int maxShapeLength) {
            this.maxShapeLength = atLeast(maxShapeLength, MIN_SHAPE_LENGTH, "maxShapeLength");
            return this;
        }

        /**
         * @param maxFindings cap on kept N+1 findings, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxFindings} is below 1
         */
        public Builder maxFindings(int maxFindings) {
            this.maxFindings = atLeast(maxFindings, 1, "maxFindings");
            return this;
        }

        /**
         * @param timeout how long the health check waits for validation, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder healthTimeout(Duration timeout) {
            this.healthTimeout = positive(timeout, "healthTimeout");
            return this;
        }

        /**
         * @param prefixes framework package prefixes (e.g. {@code "org.hibernate."}) replacing the defaults
         * @return this builder
         */
        public Builder frameworkPackages(List<String> prefixes) {
            this.frameworkPackages = List.copyOf(Objects.requireNonNull(prefixes, "frameworkPackages"));
            return this;
        }

        /**
         * @param prefixes JDBC driver package prefixes replacing the defaults
         * @return this builder
         */
        public Builder driverPackages(List<String> prefixes) {
            this.driverPackages = List.copyOf(Objects.requireNonNull(prefixes, "driverPackages"));
            return this;
        }

        /**
         * @param profileStatements whether each execution becomes a node of the request's profile tree
         * @return this builder
         */
        public Builder profileStatements(boolean profileStatements) {
            this.profileStatements = profileStatements;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public JdbcConfig build() {
            return new JdbcConfig(this);
        }

        private static int atLeast(int value, int min, String field) {
            if (value < min) {
                throw new IllegalArgumentException(field + " must be at least " + min + ", was " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(field + " must be positive, was " + value);
            }
            return value;
        }
    }
}
