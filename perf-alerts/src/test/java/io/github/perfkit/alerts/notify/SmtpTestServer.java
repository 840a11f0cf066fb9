package io.github.perfkit.alerts.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/** A tiny SMTP server for tests: EHLO, optional STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT. */
final class SmtpTestServer implements AutoCloseable {

    /** What a session did. */
    record Mail(String from, List<String> to, String data, boolean tls, @Nullable String authPlain,
                boolean authInClear) {}

    final List<Mail> mails = new CopyOnWriteArrayList<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final @Nullable SSLContext tls;
    private final Thread thread;

    SmtpTestServer(@Nullable SSLContext tls) throws IOException {
        this.tls = tls;
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::acceptLoop, "smtp-test-server");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                session(s);
            } catch (IOException e) {
                // closed or client went away: next session
            }
        }
    }

    private void session(Socket socket) throws IOException {
        Socket s = socket;
        BufferedReader in = reader(s);
        OutputStream out = s.getOutputStream();
        write(out, "220 test ESMTP");
        boolean secure = false;
        String from = null;
        List<String> to = new CopyOnWriteArrayList<>();
        String auth = null;
        boolean authInClear = false;
        while (true) {
            String line = in.readLine();
            if (line == null) {
                return;
            }
            commands.add(line);
            String upper = line.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("EHLO")) {
                if (tls != null && !secure) {
                    write(out, "250-test\r\n250-STARTTLS\r\n250 AUTH PLAIN");
                } else {
                    write(out, "250-test\r\n250 AUTH PLAIN");
                }
            } else if (upper.equals("STARTTLS") && tls != null) {
                write(out, "220 go ahead");
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
                ssl.setUseClientMode(false);
                ssl.startHandshake();
                s = ssl;
                in = reader(s);
                out = s.getOutputStream();
                secure = true;
            } else if (upper.startsWith("AUTH PLAIN ")) {
                auth = new String(java.util.Base64.getDecoder().decode(line.substring(11)), StandardCharsets.UTF_8);
                authInClear = !secure;
                write(out, "235 ok");
            } else if (upper.startsWith("MAIL FROM:")) {
                from = line.substring(10);
                write(out, "250 ok");
            } else if (upper.startsWith("RCPT TO:")) {
                to.add(line.substring(8));
                write(out, "250 ok");
            } else if (upper.equals("DATA")) {
                write(out, "354 end with .");
                StringBuilder data = new StringBuilder();
                String l;
                while ((l = in.readLine()) != null && !l.equals(".")) {
                    data.append(l).append('\n');
                }
                mails.add(new Mail(from, List.copyOf(to), data.toString(), secure, auth, authInClear));
                write(out, "250 queued");
            } else if (upper.equals("QUIT")) {
                write(out, "221 bye");
                return;
            } else {
                write(out, "502 unknown");
            }
        }
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
