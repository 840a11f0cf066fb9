package io.github.perfkit.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.cache.CacheKeys;
import org.junit.jupiter.api.Test;

class GlobMatcherTest {

    @Test
    void followsRedisGlobRules() {
        assertThat(GlobMatcher.matches("user:42:*", "user:42:profile")).isTrue();
        assertThat(GlobMatcher.matches("user:42:*", "user:420:profile")).isFalse();
        assertThat(GlobMatcher.matches("*", "")).isTrue();
        assertThat(GlobMatcher.matches("h?llo", "hallo")).isTrue();
        assertThat(GlobMatcher.matches("h?llo", "hllo")).isFalse();
        assertThat(GlobMatcher.matches("h[ae]llo", "hello")).isTrue();
        assertThat(GlobMatcher.matches("h[^e]llo", "hello")).isFalse();
        assertThat(GlobMatcher.matches("h[a-b]llo", "hbllo")).isTrue();
        assertThat(GlobMatcher.matches("a*b*c", "axxbyyc")).isTrue();
        assertThat(GlobMatcher.matches("a*b*c", "axxbyy")).isFalse();
        assertThat(GlobMatcher.matches("a\\*", "a*")).isTrue();
        assertThat(GlobMatcher.matches("a\\*", "ab")).isFalse();
    }

    @Test
    void escapedPartsMatchOnlyThemselves() {
        String part = "we*ird?[x]\\";
        String pattern = "t:" + CacheKeys.escapeGlob(part) + ":*";
        assertThat(GlobMatcher.matches(pattern, "t:" + part + ":1")).isTrue();
        assertThat(GlobMatcher.matches(pattern, "t:weXirdY[x]\\:1")).isFalse();
        assertThat(GlobMatcher.matches(pattern, "t:we*irdZx\\:1")).isFalse();
    }
}
