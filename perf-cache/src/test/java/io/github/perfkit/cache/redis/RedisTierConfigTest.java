package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisTierConfigTest {

    @Test
    void redactHidesUserInfoAndLeavesTheRestAlone() {
        assertThat(RedisTierConfig.redact("redis://app:s3cret@cache.internal:6379/2"))
                .isEqualTo("redis://***@cache.internal:6379/2");
        assertThat(RedisTierConfig.redact("rediss://:p@ss@cache:6380")).isEqualTo("rediss://***@cache:6380");
        assertThat(RedisTierConfig.redact("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
        assertThat(RedisTierConfig.redact("not a uri")).isEqualTo("not a uri");
    }

    @Test
    void sentinelUrisAndExplicitSentinelNodes() {
        RedisTierConfig uri = RedisTierConfig.builder().uri("redis-sentinel://pw@127.0.0.1:26379,127.0.0.1:26380/3#mymaster")
                .build();
        assertThat(uri.sentinel()).isTrue();
        assertThat(uri.ssl()).isFalse();
        RedisTierConfig explicit = RedisTierConfig.builder().uri("redis://app:s3cret@ignored:6379/2")
                .sentinel("mymaster", java.util.List.of("10.0.0.1:26379", " 10.0.0.2:26380 "))
                .sentinelCredentials("sentinel-user", "sp".toCharArray()).build();
        assertThat(explicit.uri()).isEqualTo("redis-sentinel://app:s3cret@10.0.0.1:26379,10.0.0.2:26380/2#mymaster");
        assertThat(explicit.sentinelUsername()).isEqualTo("sentinel-user");
        assertThat(explicit.sentinelPassword()).containsExactly('s', 'p');
        assertThat(RedisTierConfig.builder().sentinel("m", java.util.List.of("h:1")).build().uri())
                .isEqualTo("redis-sentinel://h:1#m");
    }

    @Test
    void badSentinelSettingsFailNamingTheField() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisTierConfig.builder()
                .uri("redis-sentinel://127.0.0.1:26379").build()).hasMessageStartingWith("uri: a Sentinel URI must name the master");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisTierConfig.builder()
                .sentinel("m", java.util.List.of()).build()).hasMessageStartingWith("sentinel nodes");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisTierConfig.builder()
                .sentinel("m", java.util.List.of("nohost")).build()).hasMessageStartingWith("sentinel nodes");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisTierConfig.builder()
                .sentinel("m", java.util.List.of("h:x")).build()).hasMessageStartingWith("sentinel nodes");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisTierConfig.builder()
                .sentinel(" ", java.util.List.of("h:1")).build()).hasMessageStartingWith("sentinel masterName");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisTierConfig.builder()
                .uri("redis-sentinel://h:1#m").cluster(true).build()).hasMessageStartingWith("cluster: ");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisTierConfig.builder().uri("redis://h:1")
                .sentinelCredentials(null, "p".toCharArray()).build()).hasMessageStartingWith("sentinelCredentials: ");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisTierConfig.builder().uri("http://h:1").build())
                .hasMessageStartingWith("uri must start with");
    }
}
