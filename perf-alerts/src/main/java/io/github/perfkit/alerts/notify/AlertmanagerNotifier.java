package io.github.perfkit.alerts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.Notifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Pushes alerts to a Prometheus Alertmanager ({@code POST /api/v2/alerts}) for teams that route and
 * silence there. Labels: {@code alertname} (the rule), {@code subject}, {@code severity} (the rule's
 * base level, so escalation keeps the alert's identity), the subject's tags (names sanitized to
 * {@code [a-zA-Z_][a-zA-Z0-9_]*}) and any static labels; annotations: {@code summary} (title),
 * {@code description}, {@code level} (current level), {@code alert_id}. A firing alert is sent with
 * {@code endsAt = now + validFor} (default 2 h: keep the engine's repeat interval below it so a
 * still-firing alert is refreshed before Alertmanager resolves it by itself); a recovery sends
 * {@code endsAt} = the resolve time. Same transport safety as {@link WebhookNotifier} (timeouts, no
 * redirects, internal targets refused unless allowed).
 *
 * <p>Thread-safe: immutable.
 */
public final class AlertmanagerNotifier implements Notifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Map<String, String> staticLabels;
    private final Duration validFor;
    private final Duration readTimeout;
    private final boolean allowPrivateTargets;
    private final String generatorUrl;
    private final HttpClient client;

    private AlertmanagerNotifier(Builder b) {
        String base = b.baseUri.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v2/alerts");
        this.staticLabels = Map.copyOf(b.staticLabels);
        this.validFor = b.validFor;
        this.readTimeout = b.readTimeout;
        this.allowPrivateTargets = b.allowPrivateTargets;
        this.generatorUrl = b.generatorUrl;
        this.client = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Starts a builder.
     *
     * @param baseUri the Alertmanager base URI, e.g. {@code http://alertmanager:9093}
     * @return a builder
     */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    @Override
    public String name() {
        return "alertmanager";
    }

    @Override
    public void send(AlertNotification notification) throws IOException {
        WebhookNotifier.checkTarget(endpoint.getHost(), allowPrivateTargets);
        byte[] body = body(notification);
        HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(readTimeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response;
        try {
            response = client.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while posting to " + endpoint);
        }
        if (response.statusCode() / 100 != 2) {
            String text = response.body();
            throw new IOException("alertmanager " + endpoint + " answered " + response.statusCode() + ": "
                    + (text.length() > 200 ? text.substring(0, 200) : text));
        }
    }

    /**
     * Builds the request body.
     *
     * @param n the notification
     * @return JSON bytes
     * @throws JsonProcessingException if serialization fails
     */
    byte[] body(AlertNotification n) throws JsonProcessingException {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (AlertEvent e : n.events()) {
            Map<String, String> labels = new LinkedHashMap<>(staticLabels);
            for (Map.Entry<String, String> l : e.labels().entrySet()) {
                if (!l.getKey().equals("level") && !l.getKey().equals("baseLevel")) {
                    labels.put(labelName(l.getKey()), l.getValue());
                }
            }
            labels.put("alertname", e.rule());
            labels.put("subject", e.subject());
            labels.put("severity", baseSeverity(e));
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put("summary", e.title());
            annotations.put("description", e.description());
            annotations.put("level", e.level().name().toLowerCase(Locale.ROOT));
            annotations.put("alert_id", e.id());
            if (!e.suggestedActions().isEmpty()) {
                annotations.put("suggested_actions", String.join("\n", e.suggestedActions()));
            }
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("labels", labels);
            a.put("annotations", annotations);
            a.put("startsAt", (e.firingAt() != null ? e.firingAt() : e.startedAt()).toString());
            Instant ends = e.kind() == AlertEvent.Kind.RESOLVED && e.resolvedAt() != null ? e.resolvedAt()
                    : e.at().plus(validFor);
            a.put("endsAt", ends.toString());
            a.put("generatorURL", generatorUrl);
            alerts.add(a);
        }
        return JSON.writeValueAsBytes(alerts);
    }

    /** The level before escalation, so escalation and recovery keep the Alertmanager identity. */
    private static String baseSeverity(AlertEvent e) {
        String base = e.labels().get("baseLevel");
        return base != null ? base : e.level().name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param key a tag key
     * @return a valid Prometheus label name
     */
    static String labelName(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            sb.append(ok ? c : '_');
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    @Override
    public String toString() {
        return "AlertmanagerNotifier[" + endpoint + "]";
    }

    /**
     * Builder of {@link AlertmanagerNotifier}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final URI baseUri;
        private final Map<String, String> staticLabels = new LinkedHashMap<>();
        private Duration validFor = Duration.ofHours(2);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private boolean allowPrivateTargets;
        private String generatorUrl = "";

        private Builder(URI baseUri) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        }

        /**
         * Adds a label to every alert (e.g. {@code service}, {@code env}).
         *
         * @param name label name
         * @param value label value
         * @return this builder
         */
        public Builder label(String name, String value) {
            staticLabels.put(labelName(Objects.requireNonNull(name, "name")), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets how long a firing alert stays valid in Alertmanager without a refresh (default 2 h).
         *
         * @param validFor positive
         * @return this builder
         */
        public Builder validFor(Duration validFor) {
            this.validFor = Objects.requireNonNull(validFor, "validFor");
            return this;
        }

        /**
         * Sets the connect and read timeouts (default 5 s and 10 s).
         *
         * @param connect positive
         * @param read positive
         * @return this builder
         */
        public Builder timeouts(Duration connect, Duration read) {
            this.connectTimeout = Objects.requireNonNull(connect, "connect");
            this.readTimeout = Objects.requireNonNull(read, "read");
            return this;
        }

        /**
         * Allows loopback, link-local and private targets (default false; an in-cluster Alertmanager
         * usually needs this).
         *
         * @param allow whether to allow them
         * @return this builder
         */
        public Builder allowPrivateTargets(boolean allow) {
            this.allowPrivateTargets = allow;
            return this;
        }

        /**
         * Sets the generator URL (e.g. the dashboard), default empty.
         *
         * @param url the URL
         * @return this builder
         */
        public Builder generatorUrl(String url) {
            this.generatorUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the notifier
         * @throws IllegalArgumentException naming the bad setting
         */
        public AlertmanagerNotifier build() {
            String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("baseUri must be http or https, was " + baseUri.getScheme());
            }
            if (baseUri.getHost() == null) {
                throw new IllegalArgumentException("baseUri must have a host");
            }
            if (validFor.isNegative() || validFor.isZero()) {
                throw new IllegalArgumentException("validFor must be positive, was " + validFor);
            }
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()
                    || readTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            return new AlertmanagerNotifier(this);
        }
    }
}
