package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.cache.support.TestCerts;
import io.lettuce.core.SslVerifyMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad TLS material fails at build time, naming the field; good material maps to Lettuce's options. */
class RedisTlsTest {

    private static TestCerts certs;

    @BeforeAll
    static void pki() {
        certs = TestCerts.generate();
    }

    @Test
    void missingOrWrongFilesFailNamingTheField() throws Exception {
        Path missing = certs.file("nope.pem");
        assertThatThrownBy(() -> RedisTls.builder().trustPem(missing).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("trustPem: ")
                .hasMessageContaining("nope.pem");
        assertThatThrownBy(() -> RedisTls.builder().trustPem(certs.file("ca.key")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("trustPem: no X.509 certificate");
        assertThatThrownBy(() -> RedisTls.builder().trustStore(certs.file("trust.p12"), "wrong".toCharArray(),
                "PKCS12").build()).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("trustStore: ");
        assertThatThrownBy(() -> RedisTls.builder().keyStore(certs.file("client.p12"), "wrong".toCharArray(),
                "PKCS12").build()).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("keyStore: ");
        assertThatThrownBy(() -> RedisTls.builder().keyPem(certs.file("client.crt"), missing).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("keyPem privateKey: ");
        assertThatThrownBy(() -> RedisTls.builder().keyPem(certs.file("client.key"), certs.file("client.key")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("keyPem certificateChain: ");
        // A traditional (SEC1 / PKCS#1) key is refused with the command that converts it.
        Path sec1 = certs.file("client-sec1.key");
        String pkcs8 = Files.readString(certs.file("client.key"));
        Files.writeString(sec1, pkcs8.replace("BEGIN PRIVATE KEY", "BEGIN EC PRIVATE KEY")
                .replace("END PRIVATE KEY", "END EC PRIVATE KEY"));
        assertThatThrownBy(() -> RedisTls.builder().keyPem(certs.file("client.crt"), sec1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("keyPem privateKey: ")
                .hasMessageContaining("openssl pkcs8 -topk8");
        // A key that does not belong to the certificate: Netty refuses the pair.
        assertThatThrownBy(() -> RedisTls.builder().keyPem(certs.file("client.crt"), certs.file("server.key")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("keyPem: the private key")
                .hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void twoSourcesOfTheSameMaterialAreRefused() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        assertThatThrownBy(() -> RedisTls.builder().trustPem(certs.file("ca.crt")).trustManagerFactory(tmf).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trustManagerFactory and trustPem both give trust material: set only one");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(null, null);
        assertThatThrownBy(() -> RedisTls.builder().keyManagerFactory(kmf)
                .keyPem(certs.file("client.crt"), certs.file("client.key")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keyPem and keyManagerFactory both give a client key: set only one");
    }

    @Test
    void goodMaterialMapsToLettuceOptions() throws Exception {
        RedisTls tls = RedisTls.builder().trustPem(certs.file("ca.crt"))
                .keyPem(certs.file("client.crt"), certs.file("client.key")).verify(RedisTls.Verify.CA).build();
        assertThat(tls.hasTrustMaterial()).isTrue();
        assertThat(tls.hasClientKey()).isTrue();
        assertThat(tls.verifyMode()).isEqualTo(SslVerifyMode.CA);
        assertThat(tls.toSslOptions().createSslContextBuilder().build().isClient()).isTrue();
        RedisTls defaults = RedisTls.ofDefaults();
        assertThat(defaults.hasTrustMaterial()).isFalse();
        assertThat(defaults.hasClientKey()).isFalse();
        assertThat(defaults.verifyMode()).isEqualTo(SslVerifyMode.FULL);
        assertThat(defaults.toString()).contains("JVM default");
        assertThat(RedisTls.builder().verify(RedisTls.Verify.NONE).build().verifyMode()).isEqualTo(SslVerifyMode.NONE);
        RedisTls tls13 = RedisTls.builder().protocols(List.of("TLSv1.3")).build();
        assertThat(tls13.toSslOptions().getProtocols()).containsExactly("TLSv1.3");
        assertThatThrownBy(() -> RedisTls.builder().protocols(List.of("SSLv9")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("protocols: 'SSLv9'");
    }

    @Test
    void tierConfigRequiresATlsUriForTlsOptions() {
        assertThatThrownBy(() -> RedisTierConfig.builder().uri("redis://127.0.0.1:6379").tls(RedisTls.ofDefaults())
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("tls: ");
        RedisTierConfig ok = RedisTierConfig.builder().uri("rediss://127.0.0.1:6379").tls(RedisTls.ofDefaults()).build();
        assertThat(ok.ssl()).isTrue();
        assertThat(ok.tls()).isNotNull();
        assertThat(RedisTierConfig.builder().sentinel("m", List.of("h:26379")).uri("rediss://:pw@x:1/2")
                .tls(RedisTls.ofDefaults()).build().uri()).isEqualTo("rediss-sentinel://:pw@h:26379/2#m");
    }
}
