package io.github.perfkit.cache.redis;

import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * TLS options of the Redis tier (used with {@code rediss://} or {@code rediss-sentinel://} URIs): the trust
 * material that verifies the server's certificate (a PEM file of CA certificates, a key store, or a ready
 * {@link TrustManagerFactory}; none means the JVM's default trust store), an optional client key and certificate
 * for mutual TLS (a PEM pair, a key store, or a ready {@link KeyManagerFactory}), how strictly the peer is
 * verified ({@link Verify}), and optionally the enabled protocols and cipher suites. Files are read and checked by {@link Builder#build()}, which names the bad field.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * RedisTls tls = RedisTls.builder()
 *         .trustPem(Path.of("/etc/redis/ca.crt"))
 *         .keyPem(Path.of("/etc/redis/client.crt"), Path.of("/etc/redis/client.key"))
 *         .build();
 * RedisTierConfig.builder().uri("rediss://cache.internal:6380").tls(tls).build();
 * }</pre>
 */
public final class RedisTls {

    /** How the server's certificate is checked. */
    public enum Verify {
        /** The certificate chain must be trusted and the host name (or IP) must match the certificate. */
        FULL,
        /** The certificate chain must be trusted; the host name is not checked. */
        CA,
        /** Nothing is checked (encryption only; an attacker in the middle goes unnoticed): tests only. */
        NONE
    }

    private enum Kind { PEM, STORE, FACTORY }

    private final @Nullable Kind trustKind;
    private final @Nullable Path trustPath;
    private final char @Nullable [] trustPassword;
    private final @Nullable String trustType;
    private final @Nullable TrustManagerFactory trustManagerFactory;
    private final @Nullable Kind keyKind;
    private final @Nullable Path keyCertPath;
    private final @Nullable Path keyPath;
    private final char @Nullable [] keyPassword;
    private final @Nullable String keyType;
    private final @Nullable KeyManagerFactory keyManagerFactory;
    private final Verify verify;
    private final List<String> protocols;
    private final List<String> cipherSuites;

    private RedisTls(Builder b) {
        this.trustKind = b.trustKind;
        this.trustPath = b.trustPath;
        this.trustPassword = b.trustPassword == null ? null : b.trustPassword.clone();
        this.trustType = b.trustType;
        this.trustManagerFactory = b.trustManagerFactory;
        this.keyKind = b.keyKind;
        this.keyCertPath = b.keyCertPath;
        this.keyPath = b.keyPath;
        this.keyPassword = b.keyPassword == null ? null : b.keyPassword.clone();
        this.keyType = b.keyType;
        this.keyManagerFactory = b.keyManagerFactory;
        this.verify = b.verify;
        this.protocols = b.protocols;
        this.cipherSuites = b.cipherSuites;
    }

    /**
     * A builder: JVM default trust, no client key, {@link Verify#FULL}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * TLS with the JVM's default trust store, no client key and full verification.
     *
     * @return the options
     */
    public static RedisTls ofDefaults() {
        return builder().build();
    }

    /** @return how the server's certificate is checked */
    public Verify verify() {
        return verify;
    }

    /** @return the enabled TLS protocols, empty for the JVM's defaults */
    public List<String> protocols() {
        return protocols;
    }

    /** @return the enabled cipher suites, empty for the JVM's defaults */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** @return whether trust material is given (false: the JVM's default trust store) */
    public boolean hasTrustMaterial() {
        return trustKind != null;
    }

    /** @return whether a client key is given (mutual TLS) */
    public boolean hasClientKey() {
        return keyKind != null;
    }

    /** Lettuce's verify mode. */
    SslVerifyMode verifyMode() {
        return switch (verify) {
            case FULL -> SslVerifyMode.FULL;
            case CA -> SslVerifyMode.CA;
            case NONE -> SslVerifyMode.NONE;
        };
    }

    /** Lettuce's SSL options (JDK provider). */
    SslOptions toSslOptions() {
        SslOptions.Builder b = SslOptions.builder().jdkSslProvider();
        if (trustKind == Kind.PEM) {
            b.trustManager(Objects.requireNonNull(trustPath).toFile());
        } else if (trustKind == Kind.STORE) {
            b.trustManager(Objects.requireNonNull(trustManagers(trustPath, trustPassword, trustType, "trustStore")));
        } else if (trustKind == Kind.FACTORY) {
            b.trustManager(Objects.requireNonNull(trustManagerFactory));
        }
        if (keyKind == Kind.PEM) {
            b.keyManager(Objects.requireNonNull(keyCertPath).toFile(), Objects.requireNonNull(keyPath).toFile(),
                    keyPassword);
        } else if (keyKind == Kind.STORE) {
            b.keyManager(keyManagers(Objects.requireNonNull(keyPath), keyPassword, keyType, "keyStore"));
        } else if (keyKind == Kind.FACTORY) {
            b.keyManager(Objects.requireNonNull(keyManagerFactory));
        }
        if (!protocols.isEmpty()) {
            b.protocols(protocols.toArray(String[]::new));
        }
        if (!cipherSuites.isEmpty()) {
            b.cipherSuites(cipherSuites.toArray(String[]::new));
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "RedisTls[trust=" + (trustKind == null ? "JVM default" : trustKind == Kind.FACTORY ? "managers"
                : String.valueOf(trustPath)) + ", clientKey=" + (keyKind == null ? "none" : keyKind == Kind.FACTORY
                ? "managers" : String.valueOf(keyKind == Kind.PEM ? keyCertPath : keyPath)) + ", verify=" + verify + "]";
    }

    private static TrustManagerFactory trustManagers(@Nullable Path path, char @Nullable [] password,
                                                     @Nullable String type, String field) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(Objects.requireNonNull(path), password, type, field));
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(field + ": " + path + ": " + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory keyManagers(Path path, char @Nullable [] password, @Nullable String type,
                                                 String field) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(path, password, type, field), password == null ? new char[0] : password);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(field + ": " + path + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path path, char @Nullable [] password, @Nullable String type, String field) {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore ks = KeyStore.getInstance(type == null ? KeyStore.getDefaultType() : type);
            ks.load(in, password);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(field + ": cannot load " + path + " as a " + (type == null
                    ? KeyStore.getDefaultType() : type) + " key store: " + e.getMessage(), e);
        }
    }

    /** Builder of {@link RedisTls}; not thread-safe. */
    public static final class Builder {
        private @Nullable Kind trustKind;
        private @Nullable String trustField;
        private @Nullable Path trustPath;
        private char @Nullable [] trustPassword;
        private @Nullable String trustType;
        private @Nullable TrustManagerFactory trustManagerFactory;
        private @Nullable Kind keyKind;
        private @Nullable String keyField;
        private @Nullable Path keyCertPath;
        private @Nullable Path keyPath;
        private char @Nullable [] keyPassword;
        private @Nullable String keyType;
        private @Nullable KeyManagerFactory keyManagerFactory;
        private Verify verify = Verify.FULL;
        private List<String> protocols = List.of();
        private List<String> cipherSuites = List.of();
        private @Nullable String conflict;

        private Builder() {
        }

        private void trust(Kind kind, String field) {
            if (trustKind != null) {
                conflict = field + " and " + trustField + " both give trust material: set only one";
            }
            trustKind = kind;
            trustField = field;
        }

        private void key(Kind kind, String field) {
            if (keyKind != null) {
                conflict = field + " and " + keyField + " both give a client key: set only one";
            }
            keyKind = kind;
            keyField = field;
        }

        /**
         * Trusts the CA certificates in a PEM file (one or more {@code BEGIN CERTIFICATE} blocks).
         *
         * @param caCertificates the PEM file
         * @return this builder
         */
        public Builder trustPem(Path caCertificates) {
            trust(Kind.PEM, "trustPem");
            this.trustPath = Objects.requireNonNull(caCertificates, "trustPem");
            return this;
        }

        /**
         * Trusts the certificates of a key store file.
         *
         * @param store the key store file
         * @param password its password, or null for none
         * @param type its type ({@code PKCS12}, {@code JKS}), or null for the JVM's default
         * @return this builder
         */
        public Builder trustStore(Path store, char @Nullable [] password, @Nullable String type) {
            trust(Kind.STORE, "trustStore");
            this.trustPath = Objects.requireNonNull(store, "trustStore");
            this.trustPassword = password == null ? null : password.clone();
            this.trustType = type;
            return this;
        }

        /**
         * Trusts what a ready trust manager factory trusts (e.g. from Spring Boot's {@code SslBundle}).
         *
         * @param factory the initialised factory
         * @return this builder
         */
        public Builder trustManagerFactory(TrustManagerFactory factory) {
            trust(Kind.FACTORY, "trustManagerFactory");
            this.trustManagerFactory = Objects.requireNonNull(factory, "trustManagerFactory");
            return this;
        }

        /**
         * The client's certificate chain and unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}), PEM, for
         * mutual TLS.
         *
         * @param certificateChain the PEM certificate chain, the client's certificate first
         * @param privateKey the PEM PKCS#8 private key
         * @return this builder
         */
        public Builder keyPem(Path certificateChain, Path privateKey) {
            key(Kind.PEM, "keyPem");
            this.keyCertPath = Objects.requireNonNull(certificateChain, "keyPem certificateChain");
            this.keyPath = Objects.requireNonNull(privateKey, "keyPem privateKey");
            this.keyPassword = null;
            return this;
        }

        /**
         * A key store holding the client's key and certificate, for mutual TLS.
         *
         * @param store the key store file
         * @param password the password of the store and of its key, or null for none
         * @param type its type ({@code PKCS12}, {@code JKS}), or null for the JVM's default
         * @return this builder
         */
        public Builder keyStore(Path store, char @Nullable [] password, @Nullable String type) {
            key(Kind.STORE, "keyStore");
            this.keyPath = Objects.requireNonNull(store, "keyStore");
            this.keyPassword = password == null ? null : password.clone();
            this.keyType = type;
            return this;
        }

        /**
         * A ready key manager factory holding the client's key (e.g. from Spring Boot's {@code SslBundle}).
         *
         * @param factory the initialised factory
         * @return this builder
         */
        public Builder keyManagerFactory(KeyManagerFactory factory) {
            key(Kind.FACTORY, "keyManagerFactory");
            this.keyManagerFactory = Objects.requireNonNull(factory, "keyManagerFactory");
            return this;
        }

        /**
         * @param verify how the server's certificate is checked (default {@link Verify#FULL})
         * @return this builder
         */
        public Builder verify(Verify verify) {
            this.verify = Objects.requireNonNull(verify, "verify");
            return this;
        }

        /**
         * @param protocols the TLS protocols to enable (e.g. {@code TLSv1.3}), none for the JVM's defaults
         * @return this builder
         */
        public Builder protocols(List<String> protocols) {
            this.protocols = List.copyOf(Objects.requireNonNull(protocols, "protocols"));
            return this;
        }

        /**
         * @param cipherSuites the cipher suites to enable, none for the JVM's defaults
         * @return this builder
         */
        public Builder cipherSuites(List<String> cipherSuites) {
            this.cipherSuites = List.copyOf(Objects.requireNonNull(cipherSuites, "cipherSuites"));
            return this;
        }

        /**
         * Reads and checks the files.
         *
         * @return the options
         * @throws IllegalArgumentException naming the field whose file is missing, unreadable or of the wrong kind,
         *         or when two sources of trust material (or of a client key) are set
         */
        public RedisTls build() {
            if (conflict != null) {
                throw new IllegalArgumentException(conflict);
            }
            if (trustKind == Kind.PEM) {
                certificates(Objects.requireNonNull(trustPath), "trustPem");
            } else if (trustKind == Kind.STORE) {
                trustManagers(trustPath, trustPassword, trustType, "trustStore");
            }
            if (keyKind == Kind.PEM) {
                Collection<? extends Certificate> chain = certificates(Objects.requireNonNull(keyCertPath),
                        "keyPem certificateChain");
                String key = read(Objects.requireNonNull(keyPath), "keyPem privateKey");
                if (!key.contains("-----BEGIN PRIVATE KEY-----")) {
                    throw new IllegalArgumentException("keyPem privateKey: " + keyPath + " is not an unencrypted "
                            + "PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert it with "
                            + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
                }
                checkPair(chain.iterator().next(), key);
            } else if (keyKind == Kind.STORE) {
                keyManagers(Objects.requireNonNull(keyPath), keyPassword, keyType, "keyStore");
            }
            List<String> supported = supportedProtocols();
            for (String protocol : protocols) {
                if (!supported.contains(protocol)) {
                    throw new IllegalArgumentException("protocols: '" + protocol + "' is not supported by this JVM "
                            + supported);
                }
            }
            RedisTls tls = new RedisTls(this);
            try {
                // Let Netty read the material once now, so a file it cannot use fails here, not on connect.
                tls.toSslOptions().createSslContextBuilder().build();
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                String field = !cipherSuites.isEmpty() ? "cipherSuites" : keyKind == Kind.PEM ? "keyPem"
                        : trustKind == Kind.PEM ? "trustPem" : "tls";
                throw new IllegalArgumentException(field + ": unusable TLS material: " + e.getMessage(), e);
            }
            return tls;
        }

        private static List<String> supportedProtocols() {
            try {
                return List.of(javax.net.ssl.SSLContext.getDefault().getSupportedSSLParameters().getProtocols());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no default SSLContext: " + e.getMessage(), e);
            }
        }

        private static String read(Path path, String field) {
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new IllegalArgumentException(field + ": " + path + " is not a readable file");
            }
            try {
                return Files.readString(path, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException(field + ": cannot read " + path + ": " + e.getMessage(), e);
            }
        }

        /** The private key must sign what the certificate's public key verifies. */
        private void checkPair(Certificate certificate, String pem) {
            int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----") + "-----BEGIN PRIVATE KEY-----".length();
            int end = pem.indexOf("-----END PRIVATE KEY-----", begin);
            if (end < 0) {
                throw new IllegalArgumentException("keyPem privateKey: " + keyPath + " has no END PRIVATE KEY line");
            }
            PrivateKey key;
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(pem.substring(begin, end));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("keyPem privateKey: " + keyPath + " is not valid base64", e);
            }
            String algorithm = certificate.getPublicKey().getAlgorithm();
            try {
                key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("keyPem privateKey: " + keyPath + " is not a " + algorithm
                        + " key matching the certificate " + keyCertPath + ": " + e.getMessage(), e);
            }
            String signature = switch (algorithm) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                default -> algorithm; // Ed25519, Ed448, EdDSA
            };
            try {
                byte[] probe = "perfkit-key-pair-check".getBytes(StandardCharsets.US_ASCII);
                Signature signer = Signature.getInstance(signature);
                signer.initSign(key);
                signer.update(probe);
                byte[] signed = signer.sign();
                Signature verifier = Signature.getInstance(signature);
                verifier.initVerify(certificate.getPublicKey());
                verifier.update(probe);
                if (!verifier.verify(signed)) {
                    throw new IllegalArgumentException("keyPem: the private key " + keyPath
                            + " does not belong to the certificate " + keyCertPath);
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("keyPem: cannot check that " + keyPath + " belongs to "
                        + keyCertPath + ": " + e.getMessage(), e);
            }
        }

        private static Collection<? extends Certificate> certificates(Path path, String field) {
            read(path, field);
            try (InputStream in = Files.newInputStream(path)) {
                Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                        .generateCertificates(in);
                if (certs.isEmpty()) {
                    throw new IllegalArgumentException(field + ": no X.509 certificate in " + path);
                }
                return certs;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException(field + ": no X.509 certificate in " + path + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
