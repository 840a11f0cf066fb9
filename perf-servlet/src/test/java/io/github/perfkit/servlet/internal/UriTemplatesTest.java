package io.github.perfkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriTemplatesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/users/123|/users/{id}",
        "/users/123/orders/456|/users/{id}/orders/{id}",
        "/users/550e8400-e29b-41d4-a716-446655440000|/users/{id}",
        "/files/d41d8cd98f00b204e9800998ecf8427e|/files/{id}",
        "/t/01ARZ3NDEKTSV4RRFFQ69G5FAV|/t/{id}",
        "/day/2024-01-31|/day/{id}",
        "/v/1.2.3|/v/{id}",
        "/users|/users",
        "/users/|/users/",
        "/|/",
        "''|/",
        "//a///b|/a/b",
        "/a;jsessionid=XYZ/b|/a/b",
        "/api/v2/items|/api/v2/items",
        "/health|/health",
    })
    void normalisesIdLikeSegments(String path, String expected) {
        assertThat(UriTemplates.normalise(path)).isEqualTo(expected);
    }

    @Test
    void boundsLengthSegmentsAndControlCharacters() {
        String longPath = "/seg".repeat(100);
        String t = UriTemplates.normalise(longPath);
        assertThat(t.length()).isLessThanOrEqualTo(UriTemplates.MAX_LENGTH + 2);
        assertThat(t).endsWith("/…");
        assertThat(UriTemplates.normalise("/a\nb/c\u0000")).isEqualTo("/a_b/c_");
    }

    @Test
    void capsDistinctTemplatesThenOther() {
        UriTemplates templates = new UriTemplates(3);
        assertThat(templates.template(null, "/a")).isEqualTo("/a");
        assertThat(templates.template(null, "/b/1")).isEqualTo("/b/{id}");
        assertThat(templates.template("/c/{x}", "/c/zzz")).isEqualTo("/c/{x}");
        assertThat(templates.template(null, "/d")).isEqualTo(UriTemplates.OTHER);
        assertThat(templates.template(null, "/a")).isEqualTo("/a");
        assertThat(templates.size()).isEqualTo(3);
        assertThat(templates.overflowCount()).isEqualTo(1);
    }

    @Test
    void canonicalPathsFoldTricks() {
        for (String variant : new String[] {"/perf/health", "/perf;x/health", "//perf//health", "/x/..;/perf/health",
                "/%70erf/health", "/PERF/Health", "/perf/./health", "/perf/health/", "\\perf\\health",
                "/perf%2Fhealth", "/a/b/../../perf/health", "/../perf/health"}) {
            assertThat(Paths.canonical(variant)).as(variant).isEqualTo("/perf/health");
        }
        assertThat(Paths.below("/perf/health", "/perf")).isEqualTo("/health");
        assertThat(Paths.below("/perf", "/perf")).isEqualTo("/");
        assertThat(Paths.below("/perfx/health", "/perf")).isNull();
    }

    @Test
    void requestIdsAreValidatedAndGenerated() {
        assertThat(RequestIds.isValid("abc-1.2_3")).isTrue();
        assertThat(RequestIds.isValid("x".repeat(64))).isTrue();
        assertThat(RequestIds.isValid("x".repeat(65))).isFalse();
        assertThat(RequestIds.isValid("")).isFalse();
        assertThat(RequestIds.isValid(null)).isFalse();
        assertThat(RequestIds.isValid("a b")).isFalse();
        assertThat(RequestIds.isValid("<script>")).isFalse();
        assertThat(RequestIds.isValid("é")).isFalse();
        assertThat(RequestIds.generate()).matches("[0-9a-f]{32}").isNotEqualTo(RequestIds.generate());
    }

    @Test
    void loopbackAndTokens() {
        assertThat(Access.isLoopback("127.0.0.1")).isTrue();
        assertThat(Access.isLoopback("127.5.6.7")).isTrue();
        assertThat(Access.isLoopback("::1")).isTrue();
        assertThat(Access.isLoopback("[::1]")).isTrue();
        assertThat(Access.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(Access.isLoopback("::ffff:127.0.0.1")).isTrue();
        assertThat(Access.isLoopback("127.0.0.1.evil.com")).isFalse();
        assertThat(Access.isLoopback("10.0.0.1")).isFalse();
        assertThat(Access.isLoopback("1270.0.0.1")).isFalse();
        assertThat(Access.isLoopback("localhost")).isFalse();
        Access a = new Access("s3cret-token-0123456789", java.util.Set.of("10.0.0.2"));
        assertThat(a.tokenMatches("Bearer s3cret-token-0123456789")).isTrue();
        assertThat(a.tokenMatches("bearer s3cret-token-0123456789")).isTrue();
        assertThat(a.tokenMatches("Bearer s3cret-token-012345678")).isFalse();
        assertThat(a.tokenMatches("Basic s3cret-token-0123456789")).isFalse();
        assertThat(a.tokenMatches(null)).isFalse();
        assertThat(a.clientAddress("10.0.0.2", "203.0.113.9, 10.0.0.2")).isEqualTo("203.0.113.9");
        assertThat(a.clientAddress("10.0.0.3", "127.0.0.1")).isEqualTo("10.0.0.3");
        assertThat(new Access(null, java.util.Set.of()).tokenMatches("Bearer x")).isFalse();
    }
}
