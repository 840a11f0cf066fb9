package io.github.perfkit.alerts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.DataPoint;
import io.github.perfkit.alerts.Notifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Posts notifications as JSON to an HTTP endpoint, in Perfkit's format or Slack's incoming-webhook
 * format. Safety: connect and read timeouts; redirects are never followed (a 3xx is a failure);
 * targets resolving to loopback, link-local (e.g. {@code 169.254.169.254}), private/unique-local,
 * any-local or multicast addresses are refused unless {@link Builder#allowPrivateTargets(boolean)}.
 * The host name is resolved once per send, every address it resolves to is vetted, and the connection
 * goes to a vetted address (HTTPS still verifies the certificate against the host name, with SNI), so a
 * DNS answer that changes between the check and the connection (DNS rebinding) cannot redirect the post
 * to an internal address. The request is a plain HTTP/1.1 POST with {@code Connection: close}; only the
 * status line of the answer is read. Header values (credentials) are never logged or shown in
 * {@link #toString()}.
 *
 * <p>Thread-safe: immutable; the HTTP client is thread-safe.
 */
public final class WebhookNotifier implements Notifier {

    /** Payload formats. */
    public enum Format {
        /** Perfkit's JSON: {@code {status, maxLevel, at, alerts: [...]}}. */
        JSON,
        /** Slack incoming webhook: {@code {text, attachments: [{color, title, text}]}}. */
        SLACK
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final java.util.Set<String> RESERVED_HEADERS = java.util.Set.of("host", "content-length",
            "content-type", "connection", "transfer-encoding", "expect", "upgrade");

    private final String name;
    private final URI uri;
    private final Format format;
    private final Map<String, String> headers;
    private final Duration readTimeout;
    private final Duration connectTimeout;
    private final boolean allowPrivateTargets;
    private final Resolver resolver;
    private final @Nullable SSLContext sslContext;

    private WebhookNotifier(Builder b) {
        this.name = b.name;
        this.uri = b.uri;
        this.format = b.format;
        this.headers = Map.copyOf(b.headers);
        this.readTimeout = b.readTimeout;
        this.allowPrivateTargets = b.allowPrivateTargets;
        this.connectTimeout = b.connectTimeout;
        this.resolver = b.resolver;
        this.sslContext = b.sslContext;
    }

    /**
     * Starts a builder.
     *
     * @param uri the endpoint, http or https
     * @return a builder
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(AlertNotification notification) throws IOException {
        byte[] body = body(notification);
        // resolved once, vetted, and then connected to by address: no second lookup can swap the target
        InetAddress[] addresses = checkTarget(uri.getHost(), allowPrivateTargets, resolver);
        IOException connectFailure = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port()), (int) Math.max(1, connectTimeout.toMillis()));
            } catch (IOException e) {
                socket.close();
                connectFailure = e;
                continue; // the next vetted address of the same name
            }
            int status;
            try (Socket s = socket) {
                status = post(s, body);
            }
            if (status >= 300 && status < 400) {
                throw new IOException("webhook " + safeUri() + " answered a redirect (" + status + "), not followed");
            }
            if (status < 200 || status >= 300) {
                throw new IOException("webhook " + safeUri() + " answered " + status);
            }
            return;
        }
        throw new IOException("webhook " + safeUri() + " cannot be reached: " + connectFailure, connectFailure);
    }

    private boolean https() {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    private int port() {
        return uri.getPort() >= 0 ? uri.getPort() : https() ? 443 : 80;
    }

    private static String bareHost(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** Posts over a connected socket; returns the status code. */
    private int post(Socket connected, byte[] body) throws IOException {
        long deadline = System.nanoTime() + readTimeout.toNanos();
        String host = uri.getHost();
        Socket socket = connected;
        if (https()) {
            SSLSocketFactory factory = sslContext != null ? sslContext.getSocketFactory()
                    : (SSLSocketFactory) SSLSocketFactory.getDefault();
            SSLSocket ssl = (SSLSocket) factory.createSocket(connected, bareHost(host), port(), true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(remaining(deadline));
            ssl.startHandshake();
            socket = ssl;
        }
        socket.setSoTimeout(remaining(deadline));
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder head = new StringBuilder(256).append("POST ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(uri.getPort() >= 0 ? ":" + uri.getPort() : "").append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n")
                .append("User-Agent: perfkit-alerts\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0 || line.length() > 1024) {
                throw new IOException("webhook " + safeUri() + " sent no valid HTTP status line");
            }
            line.append((char) c);
            socket.setSoTimeout(remaining(deadline));
        }
        String[] parts = line.toString().trim().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("webhook " + safeUri() + " sent no valid HTTP status line");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("webhook " + safeUri() + " sent no valid HTTP status line", e);
        }
    }

    private static int remaining(long deadline) throws SocketTimeoutException {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (ms <= 0) {
            throw new SocketTimeoutException("webhook read timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /**
     * Builds the request body.
     *
     * @param n the notification
     * @return the JSON bytes
     * @throws JsonProcessingException if serialization fails
     */
    byte[] body(AlertNotification n) throws JsonProcessingException {
        Object payload = format == Format.SLACK ? slack(n) : json(n);
        return JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> json(AlertNotification n) {
        boolean allResolved = n.events().stream().allMatch(e -> e.kind() == AlertEvent.Kind.RESOLVED);
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (AlertEvent e : n.events()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", e.id());
            a.put("rule", e.rule());
            a.put("subject", e.subject());
            a.put("level", lower(e.level()));
            a.put("state", lower(e.state()));
            a.put("kind", lower(e.kind()));
            a.put("title", e.title());
            a.put("description", e.description());
            a.put("value", Double.isFinite(e.value()) ? e.value() : null);
            a.put("labels", e.labels());
            List<Map<String, Object>> points = new ArrayList<>();
            for (DataPoint p : e.firedBy()) {
                points.add(Map.of("t", p.epochMillis(), "v", p.value()));
            }
            a.put("firedBy", points);
            a.put("suggestedActions", e.suggestedActions());
            a.put("startedAt", e.startedAt().toString());
            a.put("firingAt", e.firingAt() == null ? null : e.firingAt().toString());
            a.put("resolvedAt", e.resolvedAt() == null ? null : e.resolvedAt().toString());
            a.put("acknowledgedBy", e.acknowledgedBy());
            alerts.add(a);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", allResolved ? "resolved" : "firing");
        out.put("maxLevel", lower(n.maxLevel()));
        out.put("at", n.at().toString());
        out.put("alerts", alerts);
        return out;
    }

    private static Map<String, Object> slack(AlertNotification n) {
        List<Map<String, Object>> attachments = new ArrayList<>();
        for (AlertEvent e : n.events()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("color", e.kind() == AlertEvent.Kind.RESOLVED ? "good" : color(e.level()));
            a.put("title", e.title());
            StringBuilder text = new StringBuilder(e.description());
            for (String action : e.suggestedActions()) {
                text.append("\n• ").append(action);
            }
            a.put("text", text.toString());
            a.put("ts", e.at().getEpochSecond());
            attachments.add(a);
        }
        String summary = n.events().size() == 1 ? n.events().get(0).title()
                : n.events().size() + " alerts (max " + lower(n.maxLevel()) + ")";
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", summary);
        out.put("attachments", attachments);
        return out;
    }

    private static String color(AlertLevel level) {
        return switch (level) {
            case CRITICAL -> "danger";
            case HIGH -> "#e8590c";
            case WARNING -> "warning";
            case INFO -> "#439fe0";
        };
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private String safeUri() {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getPath();
    }

    /**
     * Refuses hosts that resolve to loopback, link-local, private/unique-local, any-local or multicast
     * addresses unless allowed.
     *
     * @param host the host name or IP literal
     * @param allowPrivate whether such targets are allowed
     * @throws IOException if the host is refused or cannot be resolved
     */
    static void checkTarget(@Nullable String host, boolean allowPrivate) throws IOException {
        checkTarget(host, allowPrivate, InetAddress::getAllByName);
    }

    /**
     * Resolves once and vets every address.
     *
     * @param host the host name or IP literal
     * @param allowPrivate whether internal targets are allowed
     * @param resolver the name resolution
     * @return the vetted addresses, to connect to
     * @throws IOException if the host is refused or cannot be resolved
     */
    static InetAddress[] checkTarget(@Nullable String host, boolean allowPrivate, Resolver resolver)
            throws IOException {
        if (host == null) {
            throw new IOException("webhook URI has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bareHost(host));
        } catch (UnknownHostException e) {
            throw new IOException("webhook host cannot be resolved: " + host, e);
        }
        if (addresses.length == 0) {
            throw new IOException("webhook host cannot be resolved: " + host);
        }
        if (allowPrivate) {
            return addresses;
        }
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                throw new IOException("webhook target " + host + " resolves to the internal address "
                        + a.getHostAddress() + "; refused (allowPrivateTargets to permit)");
            }
        }
        return addresses;
    }

    /** Name resolution (replaceable in tests). */
    @FunctionalInterface
    interface Resolver {
        /**
         * @param host a host name or IP literal without brackets
         * @return its addresses
         * @throws UnknownHostException if it cannot be resolved
         */
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * @param a an address
     * @return whether it is loopback, link-local, site-local/private, unique-local, any-local or multicast
     */
    static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            boolean mapped = true; // ::ffff:a.b.c.d
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isInternal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return false;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 // 0.0.0.0/8
                || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT 100.64/10
                || (first == 198 && (second == 18 || second == 19)); // benchmarking 198.18/15
    }

    @Override
    public String toString() {
        return "WebhookNotifier[" + name + ", " + safeUri() + ", " + format + "]";
    }

    /**
     * Builder of {@link WebhookNotifier}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final URI uri;
        private String name = "webhook";
        private Format format = Format.JSON;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private boolean allowPrivateTargets;
        private Resolver resolver = InetAddress::getAllByName;
        private @Nullable SSLContext sslContext;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * Sets the name used in logs and counters (default {@code webhook}).
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets the payload format (default JSON).
         *
         * @param format the format
         * @return this builder
         */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Adds a request header (e.g. an API key); CR/LF are rejected.
         *
         * @param name header name
         * @param value header value
         * @return this builder
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\r') >= 0
                    || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name.replaceAll("[\\r\\n]", "") + " contains CR/LF");
            }
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("header name '" + name + "' is not an HTTP token");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " is set by the notifier itself");
            }
            headers.put(name, value);
            return this;
        }

        /**
         * Sends {@code Authorization: Bearer <token>}.
         *
         * @param token the token
         * @return this builder
         */
        public Builder bearerToken(String token) {
            return header("Authorization", "Bearer " + Objects.requireNonNull(token, "token"));
        }

        /**
         * Sends HTTP basic authentication.
         *
         * @param user the user
         * @param password the password
         * @return this builder
         */
        public Builder basicAuth(String user, String password) {
            String raw = Objects.requireNonNull(user, "user") + ":" + Objects.requireNonNull(password, "password");
            return header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
        }

        /**
         * Sets the connect timeout (default 5 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets the response timeout (default 10 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets the TLS context of https targets, e.g. with a private trust store (default the JVM's).
         * The certificate is always checked against the URI's host name.
         *
         * @param context the context
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** Replaces the name resolution (tests). */
        Builder resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Allows loopback, link-local and private targets (default false; tests allow loopback).
         *
         * @param allow whether to allow them
         * @return this builder
         */
        public Builder allowPrivateTargets(boolean allow) {
            this.allowPrivateTargets = allow;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the notifier
         * @throws IllegalArgumentException naming the bad setting
         */
        public WebhookNotifier build() {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("uri must be http or https, was " + uri.getScheme());
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("uri must have a host");
            }
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
            }
            if (readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("readTimeout must be positive, was " + readTimeout);
            }
            return new WebhookNotifier(this);
        }
    }
}
