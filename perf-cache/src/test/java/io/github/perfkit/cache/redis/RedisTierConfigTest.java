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
}
