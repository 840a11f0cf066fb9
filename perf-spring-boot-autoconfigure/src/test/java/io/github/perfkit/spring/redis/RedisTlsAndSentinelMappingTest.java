package io.github.perfkit.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.RedisTierConfig;
import io.github.perfkit.cache.redis.RedisTls;
import io.github.perfkit.spring.PerfkitAutoConfiguration;
import io.github.perfkit.spring.PerfkitCacheAutoConfiguration;
import io.github.perfkit.spring.support.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How Spring Data Redis's Sentinel and SSL bundle settings reach the cache's Redis tier (the tier connects in the
 * background, so no Redis is needed to see its configuration).
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisTlsAndSentinelMappingTest {

    private static TestPki pki;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, PerfkitAutoConfiguration.class,
                    PerfkitCacheAutoConfiguration.class))
            .withPropertyValues("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false");

    @BeforeAll
    static void certificates() {
        pki = TestPki.generate();
    }

    private static RedisTierConfig tier(org.springframework.context.ApplicationContext context) {
        return ((RedisTier) context.getBean(CacheManager.class).remoteTier().orElseThrow()).config();
    }

    @Test
    void sentinelPropertiesGiveASentinelTier(CapturedOutput output) {
        runner.withPropertyValues("spring.data.redis.sentinel.master=mymaster",
                "spring.data.redis.sentinel.nodes=127.0.0.1:1,127.0.0.1:2",
                "spring.data.redis.sentinel.password=sentinel-pw", "spring.data.redis.password=data-pw",
                "spring.data.redis.database=3").run(context -> {
                    assertThat(context).hasNotFailed();
                    RedisTierConfig config = tier(context);
                    assertThat(config.sentinel()).isTrue();
                    assertThat(config.uri()).isEqualTo("redis-sentinel://:data-pw@127.0.0.1:1,127.0.0.1:2/3#mymaster");
                    assertThat(config.sentinelPassword()).containsExactly("sentinel-pw".toCharArray());
                    assertThat(config.tls()).isNull();
                });
        assertThat(output).doesNotContain("Sentinel, which Perfkit's Redis tier does not support")
                .doesNotContain("data-pw").doesNotContain("sentinel-pw");
    }

    @Test
    void anSslBundleGivesItsTrustAndKeyManagersToTheTier(CapturedOutput output) {
        runner.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1",
                "spring.data.redis.ssl.bundle=redis",
                "spring.ssl.bundle.pem.redis.truststore.certificate=file:" + pki.file("ca.crt"),
                "spring.ssl.bundle.pem.redis.keystore.certificate=file:" + pki.file("client.crt"),
                "spring.ssl.bundle.pem.redis.keystore.private-key=file:" + pki.file("client.key"),
                "spring.ssl.bundle.pem.redis.options.enabled-protocols=TLSv1.3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RedisTierConfig config = tier(context);
                    assertThat(config.uri()).isEqualTo("rediss://127.0.0.1:1");
                    RedisTls tls = config.tls();
                    assertThat(tls).isNotNull();
                    assertThat(tls.hasTrustMaterial()).isTrue();
                    assertThat(tls.hasClientKey()).isTrue();
                    assertThat(tls.verify()).isEqualTo(RedisTls.Verify.FULL);
                    assertThat(tls.protocols()).containsExactly("TLSv1.3");
                });
        // A bundle with a trust store only: no client key.
        runner.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1",
                "spring.data.redis.ssl.bundle=ca-only",
                "spring.ssl.bundle.pem.ca-only.truststore.certificate=file:" + pki.file("ca.crt"))
                .run(context -> {
                    RedisTls tls = tier(context).tls();
                    assertThat(tls).isNotNull();
                    assertThat(tls.hasTrustMaterial()).isTrue();
                    assertThat(tls.hasClientKey()).isFalse();
                });
        assertThat(output).doesNotContain("not carried over");
    }

    @Test
    void sslEnabledWithoutABundleKeepsTheJvmsTrustStore() {
        runner.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1",
                "spring.data.redis.ssl.enabled=true").run(context -> {
                    RedisTierConfig config = tier(context);
                    assertThat(config.uri()).isEqualTo("rediss://127.0.0.1:1");
                    assertThat(config.ssl()).isTrue();
                    assertThat(config.tls()).isNull();
                });
    }

    @Test
    void anUnknownBundleFailsStartupNamingTheProperty() {
        runner.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.ssl.bundle=missing")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("spring.data.redis.ssl.bundle: no SSL bundle named 'missing'"));
        runner.withPropertyValues("spring.data.redis.sentinel.master=m", "spring.data.redis.sentinel.nodes=nohost")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageStartingWith("spring.data.redis.sentinel.nodes"));
    }

    @Test
    void perfkitsOwnUrlTakesAnSslBundleAndSentinelCredentials() {
        runner.withPropertyValues("perfkit.cache.redis.url=rediss-sentinel://:data-pw@127.0.0.1:1#m",
                "perfkit.cache.redis.ssl-bundle=redis", "perfkit.cache.redis.sentinel-password=sentinel-pw",
                "spring.ssl.bundle.pem.redis.truststore.certificate=file:" + pki.file("ca.crt")).run(context -> {
                    assertThat(context).hasNotFailed();
                    RedisTierConfig config = tier(context);
                    assertThat(config.sentinel()).isTrue();
                    assertThat(config.sentinelPassword()).containsExactly("sentinel-pw".toCharArray());
                    assertThat(config.tls()).isNotNull();
                    assertThat(config.tls().hasTrustMaterial()).isTrue();
                    assertThat(config.tls().hasClientKey()).isFalse();
                });
        runner.withPropertyValues("perfkit.cache.redis.url=redis://127.0.0.1:1", "perfkit.cache.redis.ssl-bundle=redis",
                "spring.ssl.bundle.pem.redis.truststore.certificate=file:" + pki.file("ca.crt"))
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("perfkit.cache.redis.ssl-bundle: tls: set, but the uri does not use TLS"));
        runner.withPropertyValues("perfkit.cache.redis.url=rediss://127.0.0.1:1", "perfkit.cache.redis.ssl-bundle=nope")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("perfkit.cache.redis.ssl-bundle: no SSL bundle named 'nope'"));
        runner.withPropertyValues("perfkit.cache.redis.url=redis://127.0.0.1:1",
                "perfkit.cache.redis.sentinel-password=x")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("perfkit.cache.redis.sentinel-password: sentinelCredentials:"));
    }
}
