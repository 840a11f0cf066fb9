package io.github.perfkit.spring.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test certificates made with the {@code openssl} CLI (EC P-256, two days) in a fresh directory under target/: a CA
 * ({@code ca.crt}), a server certificate for 127.0.0.1 ({@code server.crt}/{@code server.key}) and a client
 * certificate ({@code client.crt}/{@code client.key}, PKCS#8).
 */
public final class TestPki {

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** @return the generated certificates */
    public static TestPki generate() {
        try {
            TestPki pki = new TestPki(Files.createTempDirectory(Files.createDirectories(Path.of("target", "tls")),
                    "pki"));
            pki.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=perfkit-test-ca");
            pki.signed("server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
            pki.signed("client", "extendedKeyUsage=clientAuth\n");
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param name a file name such as {@code ca.crt}
     * @return its absolute path
     */
    public Path file(String name) {
        return dir.resolve(name).toAbsolutePath();
    }

    private void signed(String name, String extensions) throws IOException {
        Files.writeString(dir.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=perfkit-test-" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
