package io.github.perfkit.alerts.notify;

import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.Notifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Sends notifications by email over SMTP (RFC 5321) with STARTTLS (RFC 3207), without a mail library.
 * STARTTLS is required by default: a server that does not offer it is refused, and credentials are
 * only ever sent inside TLS (AUTH PLAIN), with the server's host name verified. Configured header
 * values (addresses, subject prefix) containing CR or LF are rejected; the alert text that goes into
 * the subject has its control characters replaced. Credentials are never logged nor shown in
 * {@link #toString()}.
 *
 * <p>Thread-safe: immutable; each send opens its own connection.
 */
public final class EmailNotifier implements Notifier {

    private final String host;
    private final int port;
    private final String from;
    private final List<String> to;
    private final @Nullable String username;
    private final @Nullable String password;
    private final boolean requireStartTls;
    private final SSLContext sslContext;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final String subjectPrefix;
    private final String heloName;

    private EmailNotifier(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.from = Objects.requireNonNull(b.from);
        this.to = List.copyOf(b.to);
        this.username = b.username;
        this.password = b.password;
        this.requireStartTls = b.requireStartTls;
        this.sslContext = b.sslContext;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.subjectPrefix = b.subjectPrefix;
        this.heloName = b.heloName;
    }

    /**
     * Starts a builder.
     *
     * @param host the SMTP server host
     * @param port the SMTP server port (usually 587)
     * @return a builder
     */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void send(AlertNotification notification) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            plain.setSoTimeout((int) readTimeout.toMillis());
            Session s = new Session(plain);
            s.expect(220);
            List<String> caps = s.command("EHLO " + heloName, 250);
            boolean tls = false;
            if (caps.stream().anyMatch(c -> c.toUpperCase(Locale.ROOT).startsWith("STARTTLS"))) {
                s.command("STARTTLS", 220);
                SSLSocket ssl = (SSLSocket) sslContext.getSocketFactory().createSocket(plain, host, port, true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.setUseClientMode(true);
                ssl.startHandshake();
                s = new Session(ssl);
                tls = true;
                s.command("EHLO " + heloName, 250);
            } else if (requireStartTls) {
                s.quietQuit();
                throw new IOException("SMTP server " + host + ":" + port + " does not offer STARTTLS; refused "
                        + "(requireStartTls(false) to allow plain SMTP without credentials)");
            }
            if (username != null && password != null) {
                if (!tls) {
                    s.quietQuit();
                    throw new IOException("credentials are only sent over TLS; " + host + " offered no STARTTLS");
                }
                String token = Base64.getEncoder().encodeToString(("\0" + username + "\0" + password)
                        .getBytes(StandardCharsets.UTF_8));
                s.command("AUTH PLAIN " + token, 235);
            }
            s.command("MAIL FROM:<" + from + ">", 250);
            for (String rcpt : to) {
                s.command("RCPT TO:<" + rcpt + ">", 250);
            }
            s.command("DATA", 354);
            s.writeRaw(message(notification));
            s.command(".", 250);
            s.quietQuit();
        }
    }

    /** Builds the RFC 5322 message, dot-stuffed, CRLF line ends, without the final dot. */
    private String message(AlertNotification n) {
        AlertEvent first = n.events().get(0);
        String subject = subjectPrefix + (n.events().size() == 1 ? first.title()
                : n.events().size() + " alerts, max " + n.maxLevel());
        StringBuilder body = new StringBuilder();
        for (AlertEvent e : n.events()) {
            body.append(e.title()).append("\n  ").append(e.description()).append("\n  level ").append(e.level())
                    .append(", since ").append(e.startedAt()).append(", id ").append(e.id()).append('\n');
            for (String action : e.suggestedActions()) {
                body.append("  - ").append(action).append('\n');
            }
            body.append('\n');
        }
        String encodedBody = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(body.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("To: ").append(String.join(", ", to)).append("\r\n");
        m.append("Subject: ").append(encodeHeader(stripControls(subject))).append("\r\n");
        m.append("Date: ").append(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(n.at().atZone(java.time.ZoneOffset.UTC))).append("\r\n");
        m.append("Message-ID: <").append(UUID.randomUUID()).append("@perfkit>\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: text/plain; charset=UTF-8\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n\r\n");
        m.append(encodedBody).append("\r\n");
        return m.toString(); // base64 lines never start with '.', so no dot-stuffing is needed
    }

    private static String stripControls(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString();
    }

    private static String encodeHeader(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 126) {
                return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)) + "?=";
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return "EmailNotifier[" + host + ":" + port + ", from " + from + ", to " + to
                + (username == null ? "" : ", user " + username) + "]";
    }

    /** One SMTP conversation on one socket. */
    private static final class Session {
        private final BufferedReader in;
        private final OutputStream out;

        Session(Socket socket) throws IOException {
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        List<String> command(String line, int expected) throws IOException {
            writeRaw(line + "\r\n");
            return expect(expected);
        }

        void writeRaw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        List<String> expect(int expected) throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("SMTP server closed the connection");
                }
                if (line.length() < 3) {
                    throw new IOException("malformed SMTP reply: " + line);
                }
                int code;
                try {
                    code = Integer.parseInt(line.substring(0, 3));
                } catch (NumberFormatException e) {
                    throw new IOException("malformed SMTP reply: " + line, e);
                }
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (line.length() == 3 || line.charAt(3) == ' ') {
                    if (code != expected && !(expected == 250 && code == 251)) {
                        throw new IOException("SMTP server answered " + line + " (expected " + expected + ")");
                    }
                    return lines;
                }
            }
        }

        void quietQuit() {
            try {
                command("QUIT", 221);
            } catch (IOException e) {
                // the message is already accepted or the failure already reported; QUIT is a courtesy
            }
        }
    }

    /**
     * Builder of {@link EmailNotifier}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final String host;
        private final int port;
        private @Nullable String from;
        private final List<String> to = new ArrayList<>();
        private @Nullable String username;
        private @Nullable String password;
        private boolean requireStartTls = true;
        private SSLContext sslContext;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private String subjectPrefix = "[perfkit] ";
        private String heloName = "perfkit";

        private Builder(String host, int port) {
            this.host = noCrLf("host", Objects.requireNonNull(host, "host"));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535, was " + port);
            }
            this.port = port;
            try {
                this.sslContext = SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context", e);
            }
        }

        /**
         * Sets the sender address (required).
         *
         * @param address the address
         * @return this builder
         */
        public Builder from(String address) {
            this.from = address(noCrLf("from", Objects.requireNonNull(address, "address")), "from");
            return this;
        }

        /**
         * Adds a recipient (at least one required).
         *
         * @param address the address
         * @return this builder
         */
        public Builder to(String address) {
            to.add(address(noCrLf("to", Objects.requireNonNull(address, "address")), "to"));
            return this;
        }

        /**
         * Sets the credentials (AUTH PLAIN, only ever sent inside TLS).
         *
         * @param username the user
         * @param password the password
         * @return this builder
         */
        public Builder credentials(String username, String password) {
            this.username = noCrLf("username", Objects.requireNonNull(username, "username"));
            this.password = noCrLf("password", Objects.requireNonNull(password, "password"));
            return this;
        }

        /**
         * Whether STARTTLS is required (default true).
         *
         * @param require whether to refuse servers without STARTTLS
         * @return this builder
         */
        public Builder requireStartTls(boolean require) {
            this.requireStartTls = require;
            return this;
        }

        /**
         * Sets the TLS context (default the JVM's; tests pass one trusting their own certificate).
         *
         * @param context the context
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
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
         * Sets the subject prefix (default {@code [perfkit] }).
         *
         * @param prefix the prefix
         * @return this builder
         */
        public Builder subjectPrefix(String prefix) {
            this.subjectPrefix = noCrLf("subjectPrefix", Objects.requireNonNull(prefix, "prefix"));
            return this;
        }

        /**
         * Sets the name sent with EHLO (default {@code perfkit}).
         *
         * @param name the name
         * @return this builder
         */
        public Builder heloName(String name) {
            this.heloName = noCrLf("heloName", Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the notifier
         * @throws IllegalArgumentException naming the bad setting
         */
        public EmailNotifier build() {
            if (from == null) {
                throw new IllegalArgumentException("from must be set");
            }
            if (to.isEmpty()) {
                throw new IllegalArgumentException("to must have at least one recipient");
            }
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()
                    || readTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            return new EmailNotifier(this);
        }

        private static String noCrLf(String field, String value) {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(field + " must not contain CR or LF");
            }
            return value;
        }

        private static String address(String value, String field) {
            if (!value.matches("[^\\s<>@,;]+@[^\\s<>@,;]+")) {
                throw new IllegalArgumentException(field + " is not a plain email address: " + value);
            }
            return value;
        }
    }
}
