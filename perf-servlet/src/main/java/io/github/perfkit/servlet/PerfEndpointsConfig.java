package io.github.perfkit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of {@link PerfEndpointsServlet}: base path and access control.
 *
 * <p>Access: loopback clients are always served; others only with the configured bearer token
 * or when the authorizer accepts the request. The client address is the connection's remote
 * address; {@code X-Forwarded-For} is believed only when the remote address is a configured
 * trusted proxy.
 *
 * <p>Thread-safe (immutable; the authorizer must be thread-safe).
 */
public final class PerfEndpointsConfig {

    /** Default base path. */
    public static final String DEFAULT_BASE_PATH = "/perf";
    /** Shortest accepted bearer token. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final String basePath;
    private final @Nullable String bearerToken;
    private final Set<String> trustedProxies;
    private final @Nullable Predicate<HttpServletRequest> authorizer;
    private final String version;
    private final boolean publicProbes;

    private PerfEndpointsConfig(Builder b) {
        this.basePath = b.basePath;
        this.bearerToken = b.bearerToken;
        this.trustedProxies = Set.copyOf(b.trustedProxies);
        this.authorizer = b.authorizer;
        this.version = b.version;
        this.publicProbes = b.publicProbes;
    }

    /**
     * Defaults: base path {@code /perf}, loopback only (probes answered to anyone with the status alone), no
     * token, no trusted proxy.
     *
     * @return the default configuration
     */
    public static PerfEndpointsConfig ofDefaults() {
        return builder().build();
    }

    /**
     * A new builder holding the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the canonical (lower-case, no trailing slash) base path the servlet is mapped under */
    public String basePath() {
        return basePath;
    }

    /** @return the bearer token that opens the endpoints to non-loopback clients, or null */
    public @Nullable String bearerToken() {
        return bearerToken;
    }

    /** @return addresses of proxies whose {@code X-Forwarded-For} is believed */
    public Set<String> trustedProxies() {
        return trustedProxies;
    }

    /** @return a user-provided authorizer for non-loopback clients, or null */
    public @Nullable Predicate<HttpServletRequest> authorizer() {
        return authorizer;
    }

    /**
     * @return whether {@code /health}, {@code /ready} and {@code /ping} answer every client (with the status
     *     only, no components or messages) so that orchestrator probes work without the token (default true)
     */
    public boolean publicProbes() {
        return publicProbes;
    }

    /** @return the application version reported by {@code /status} */
    public String version() {
        return version;
    }

    @Override
    public String toString() {
        return "PerfEndpointsConfig{basePath=" + basePath + ", bearerToken=" + (bearerToken == null ? "none" : "***")
                + ", trustedProxies=" + trustedProxies + ", authorizer=" + (authorizer != null) + ", publicProbes="
                + publicProbes + ", version=" + version + '}';
    }

    /** Builder of {@link PerfEndpointsConfig}; not thread-safe. */
    public static final class Builder {
        private String basePath = DEFAULT_BASE_PATH;
        private @Nullable String bearerToken;
        private final Set<String> trustedProxies = new LinkedHashSet<>();
        private @Nullable Predicate<HttpServletRequest> authorizer;
        private String version = defaultVersion();
        private boolean publicProbes = true;

        private Builder() {}

        /**
         * Whether the liveness, readiness and ping endpoints answer clients the access policy would refuse,
         * with the status alone ({@code {"status":"UP"}}, 503 when DOWN): a Kubernetes probe comes from the
         * node's address, not loopback, and carries no token. Components, messages and every other endpoint
         * stay behind the policy.
         *
         * @param enabled true (default) to answer probes from anyone
         * @return this builder
         */
        public Builder publicProbes(boolean enabled) {
            this.publicProbes = enabled;
            return this;
        }

        /**
         * Sets the base path (where the servlet is mapped, e.g. {@code /perf} for {@code /perf/*}).
         *
         * @param path starts with {@code /}
         * @return this builder
         */
        public Builder basePath(String path) {
            this.basePath = Objects.requireNonNull(path, "basePath");
            return this;
        }

        /**
         * Sets the bearer token (compared in constant time).
         *
         * @param token at least 16 characters, or null for none
         * @return this builder
         */
        public Builder bearerToken(@Nullable String token) {
            this.bearerToken = token;
            return this;
        }

        /**
         * Trusts a proxy's {@code X-Forwarded-For}.
         *
         * @param address the proxy's address literal
         * @return this builder
         */
        public Builder trustedProxy(String address) {
            Objects.requireNonNull(address, "address");
            if (address.isBlank()) {
                throw new IllegalArgumentException("trustedProxy: address must not be blank");
            }
            trustedProxies.add(address.trim());
            return this;
        }

        /**
         * Sets an authorizer that may open the endpoints to non-loopback clients.
         *
         * @param authorizer returns true to serve the request; or null for none
         * @return this builder
         */
        public Builder authorizer(@Nullable Predicate<HttpServletRequest> authorizer) {
            this.authorizer = authorizer;
            return this;
        }

        /**
         * Sets the version reported by {@code /status}.
         *
         * @param version not blank
         * @return this builder
         */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first invalid field
         */
        public PerfEndpointsConfig build() {
            if (!basePath.startsWith("/") || basePath.length() > 256 || basePath.contains(";")
                    || basePath.contains("%") || basePath.contains("..") || basePath.contains("//")) {
                throw new IllegalArgumentException("basePath must be a plain path starting with '/', was '" + basePath
                        + "'");
            }
            while (basePath.length() > 1 && basePath.endsWith("/")) {
                basePath = basePath.substring(0, basePath.length() - 1);
            }
            basePath = basePath.toLowerCase(Locale.ROOT);
            if (bearerToken != null && (bearerToken.length() < MIN_TOKEN_LENGTH || bearerToken.isBlank()
                    || bearerToken.length() > 1024)) {
                throw new IllegalArgumentException("bearerToken must be " + MIN_TOKEN_LENGTH
                        + "..1024 characters (use a random secret)");
            }
            if (version.isBlank()) {
                throw new IllegalArgumentException("version must not be blank");
            }
            return new PerfEndpointsConfig(this);
        }

        private static String defaultVersion() {
            String v = PerfEndpointsConfig.class.getPackage().getImplementationVersion();
            return v == null ? "unknown" : v;
        }
    }
}
