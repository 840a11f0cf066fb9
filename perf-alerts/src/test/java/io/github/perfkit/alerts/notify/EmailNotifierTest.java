package io.github.perfkit.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.Sim;
import io.github.perfkit.alerts.ThresholdRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real local SMTP listener with STARTTLS (self-signed certificate made by the JDK's keytool). */
class EmailNotifierTest {

    @TempDir
    static Path dir;
    private static SSLContext serverTls;
    private static SSLContext clientTls;
    private static SmtpTestServer tlsServer;
    private static SmtpTestServer plainServer;

    /** A server whose certificate is trusted by {@link #wrongNameClientTls} but names another host. */
    private static SmtpTestServer wrongNameServer;
    private static SSLContext wrongNameClientTls;

    private static SSLContext[] selfSigned(String file, String dname, String san) throws Exception {
        return TestCertificates.selfSigned(dir, file, dname, san);
    }

    @BeforeAll
    static void start() throws Exception {
        SSLContext[] good = selfSigned("smtp.p12", "CN=localhost", "ip:127.0.0.1,dns:localhost");
        serverTls = good[0];
        clientTls = good[1];
        SSLContext[] other = selfSigned("other.p12", "CN=mail.other.example", "dns:mail.other.example");
        wrongNameClientTls = other[1];
        tlsServer = new SmtpTestServer(serverTls);
        plainServer = new SmtpTestServer(null);
        wrongNameServer = new SmtpTestServer(other[0]);
    }

    @AfterAll
    static void stop() throws IOException {
        tlsServer.close();
        plainServer.close();
        wrongNameServer.close();
    }

    @Test
    void mailArrivesOverStartTlsWithCredentials() {
        int before = tlsServer.mails.size();
        EmailNotifier email = EmailNotifier.builder("127.0.0.1", tlsServer.port()).from("perfkit@example.com")
                .to("ops@example.com").to("dev@example.com").credentials("alice", "s3cret").sslContext(clientTls)
                .build();
        Sim sim = new Sim();
        try (AlertEngine engine = AlertEngine.builder().history(sim.history).clock(sim.clock)
                .rules(ThresholdRule.builder("cpu-high").metric("cpu").threshold(0.9).level(AlertLevel.CRITICAL)
                        .suggestedActions("look at top").build())
                .notifier(email).build()) {
            sim.advance();
            sim.record("cpu", 0.95);
            engine.evaluate();
            await().atMost(Duration.ofSeconds(15)).until(() -> tlsServer.mails.size() > before);
        }
        SmtpTestServer.Mail mail = tlsServer.mails.get(before);
        assertThat(mail.tls()).isTrue();
        assertThat(mail.authPlain()).isEqualTo("\0alice\0s3cret");
        assertThat(mail.authInClear()).isFalse();
        assertThat(mail.from()).isEqualTo("<perfkit@example.com>");
        assertThat(mail.to()).containsExactly("<ops@example.com>", "<dev@example.com>");
        assertThat(mail.data()).contains("Subject: [perfkit] [CRITICAL] cpu-high on cpu\n")
                .contains("To: ops@example.com, dev@example.com").contains("Content-Transfer-Encoding: base64");
        String body = mail.data().substring(mail.data().indexOf("\n\n") + 2).replace("\n", "");
        String text = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        assertThat(text).contains("last of cpu over 60s is 0.95").contains("- look at top");
        assertThat(email.toString()).doesNotContain("s3cret");
    }

    @Test
    void aServerWithoutStartTlsIsRefusedAndCredentialsNeverGoInClear() {
        EmailNotifier email = EmailNotifier.builder("127.0.0.1", plainServer.port()).from("perfkit@example.com")
                .to("ops@example.com").credentials("alice", "s3cret").build();
        assertThatThrownBy(() -> email.send(sampleNotification())).isInstanceOf(IOException.class)
                .hasMessageContaining("does not offer STARTTLS");
        EmailNotifier plainWithCredentials = EmailNotifier.builder("127.0.0.1", plainServer.port())
                .from("perfkit@example.com").to("ops@example.com").credentials("alice", "s3cret")
                .requireStartTls(false).build();
        assertThatThrownBy(() -> plainWithCredentials.send(sampleNotification()))
                .hasMessageContaining("credentials are only sent over TLS");
        assertThat(plainServer.commands).noneMatch(c -> c.startsWith("AUTH")).noneMatch(c -> c.startsWith("MAIL"));
        assertThat(plainServer.mails).isEmpty();
    }

    @Test
    void plainSmtpWithoutCredentialsWhenExplicitlyAllowedAndHeaderInjectionIsRejected() throws IOException {
        EmailNotifier.builder("127.0.0.1", plainServer.port()).from("perfkit@example.com").to("ops@example.com")
                .requireStartTls(false).build().send(sampleNotification());
        assertThat(plainServer.mails).singleElement().satisfies(m -> {
            assertThat(m.tls()).isFalse();
            // CR/LF from a tag value in the subject cannot start a new header
            assertThat(m.data()).doesNotContain("\nBcc:").contains("Subject: [perfkit] [HIGH] r on s{tag=x  Bcc: evil@x.y}");
        });
        assertThatThrownBy(() -> EmailNotifier.builder("h", 25).to("a@b.c\r\nBcc: x@y.z"))
                .hasMessageContaining("to must not contain CR or LF");
        assertThatThrownBy(() -> EmailNotifier.builder("h", 25).from("a@b.c\nX: y"))
                .hasMessageContaining("from must not contain CR or LF");
        assertThatThrownBy(() -> EmailNotifier.builder("h", 25).subjectPrefix("x\r\nBcc: a@b.c"))
                .hasMessageContaining("subjectPrefix");
        assertThatThrownBy(() -> EmailNotifier.builder("h", 25).to("not an address"))
                .hasMessageContaining("not a plain email address");
        assertThatThrownBy(() -> EmailNotifier.builder("h", 25).from("a@b.c").build())
                .hasMessageContaining("to must have at least one recipient");
    }

    private static io.github.perfkit.alerts.AlertNotification sampleNotification() {
        io.github.perfkit.alerts.AlertEvent e = new io.github.perfkit.alerts.AlertEvent("a1", "r", "s{tag=x\r\nBcc: evil@x.y}",
                java.util.Map.of(), AlertLevel.HIGH, io.github.perfkit.alerts.AlertState.FIRING,
                io.github.perfkit.alerts.AlertEvent.Kind.FIRING, "[HIGH] r on s{tag=x\r\nBcc: evil@x.y}", "d", 1,
                java.util.List.of(), java.util.List.of(), java.time.Instant.EPOCH, null, null, java.time.Instant.EPOCH,
                1, null);
        return new io.github.perfkit.alerts.AlertNotification(java.util.List.of(e), java.time.Instant.EPOCH);
    }

    @Test
    void anEngineRunningOnItsOwnThreadDeliversOverStartTls() {
        int before = tlsServer.mails.size();
        EmailNotifier email = EmailNotifier.builder("127.0.0.1", tlsServer.port()).from("perfkit@example.com")
                .to("ops@example.com").credentials("alice", "s3cret").sslContext(clientTls).build();
        Sim sim = new Sim();
        try (AlertEngine engine = AlertEngine.builder().history(sim.history).clock(sim.clock)
                .rules(ThresholdRule.builder("disk-full").metric("disk").threshold(0.9).build())
                .notifier(email).build()) {
            sim.advance();
            sim.record("disk", 0.97);
            engine.start(Duration.ofMillis(50)); // evaluations on the engine's thread, delivery on the notifier's
            await().atMost(Duration.ofSeconds(15)).until(() -> tlsServer.mails.size() > before);
        }
        SmtpTestServer.Mail mail = tlsServer.mails.get(before);
        assertThat(mail.tls()).isTrue();
        assertThat(mail.authInClear()).isFalse();
        assertThat(mail.data()).contains("disk-full");
    }

    @Test
    void aCertificateForAnotherHostFailsTheStartTlsHandshakeBeforeAnyCredentialIsSent() {
        EmailNotifier email = EmailNotifier.builder("127.0.0.1", wrongNameServer.port()).from("perfkit@example.com")
                .to("ops@example.com").credentials("alice", "s3cret").sslContext(wrongNameClientTls).build();
        assertThatThrownBy(() -> email.send(notification())).isInstanceOf(IOException.class);
        assertThat(wrongNameServer.commands).anyMatch(c -> c.equalsIgnoreCase("STARTTLS"))
                .noneMatch(c -> c.toUpperCase(java.util.Locale.ROOT).startsWith("AUTH"))
                .noneMatch(c -> c.toUpperCase(java.util.Locale.ROOT).startsWith("MAIL"));
        assertThat(wrongNameServer.mails).isEmpty();
    }

    @Test
    void anUntrustedCertificateFailsTheStartTlsHandshake() throws Exception {
        int commands = tlsServer.commands.size();
        SSLContext jdkDefaults = SSLContext.getInstance("TLS");
        jdkDefaults.init(null, null, null); // the JDK's trust store: does not trust the self-signed test certificate
        EmailNotifier email = EmailNotifier.builder("127.0.0.1", tlsServer.port()).from("perfkit@example.com")
                .to("ops@example.com").credentials("alice", "s3cret").sslContext(jdkDefaults).build();
        assertThatThrownBy(() -> email.send(notification())).isInstanceOf(IOException.class);
        assertThat(tlsServer.commands.subList(commands, tlsServer.commands.size()))
                .noneMatch(c -> c.toUpperCase(java.util.Locale.ROOT).startsWith("AUTH"));
    }

    private static io.github.perfkit.alerts.AlertNotification notification() {
        io.github.perfkit.alerts.AlertEvent e = new io.github.perfkit.alerts.AlertEvent("a1", "cpu-high", "cpu",
                java.util.Map.of(), AlertLevel.HIGH, io.github.perfkit.alerts.AlertState.FIRING,
                io.github.perfkit.alerts.AlertEvent.Kind.FIRING, "[HIGH] cpu-high on cpu", "cpu is high", 0.95,
                java.util.List.of(), java.util.List.of(), java.time.Instant.EPOCH, java.time.Instant.EPOCH, null,
                java.time.Instant.EPOCH, 1, null);
        return new io.github.perfkit.alerts.AlertNotification(java.util.List.of(e), java.time.Instant.EPOCH);
    }
}
