package io.github.perfkit.cache.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Test PKI made with the {@code openssl} CLI (EC P-256, valid two days) in a directory: a CA, a server certificate
 * for 127.0.0.1/localhost, a server certificate for the name {@code redis.test} only (no IP), a client certificate,
 * a second unrelated CA, a PKCS#12 trust store of the CA and a PKCS#12 key store of the client key.
 */
public final class TestCerts {

    /** Password of the PKCS#12 stores. */
    public static final String PASSWORD = "changeit";

    private final Path dir;

    private TestCerts(Path dir) {
        this.dir = dir;
    }

    /**
     * Generates everything into a fresh directory under target/.
     *
     * @return the certificates
     */
    public static TestCerts generate() {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "tls")), "pki");
            TestCerts c = new TestCerts(dir);
            c.ca("ca");
            c.ca("rogue-ca");
            c.signed("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
            c.signed("named-server", "ca", "subjectAltName=DNS:redis.test\nextendedKeyUsage=serverAuth\n");
            c.signed("client", "ca", "extendedKeyUsage=clientAuth\n");
            c.openssl("pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12",
                    "-passout", "pass:" + PASSWORD);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
                trust.store(out, PASSWORD.toCharArray());
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param name a file name, e.g. {@code ca.crt}, {@code client.key}, {@code trust.p12}
     * @return its path
     */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * @param name a PEM certificate file name
     * @return the certificates in it
     */
    public List<Certificate> certificates(String name) {
        try (InputStream in = Files.newInputStream(file(name))) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void ca(String name) throws IOException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=perfkit-test-" + name);
    }

    private void signed(String name, String ca, String extensions) throws IOException {
        Files.writeString(dir.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=perfkit-test-" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: "
                        + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
