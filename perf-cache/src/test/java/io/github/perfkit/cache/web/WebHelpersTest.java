package io.github.perfkit.cache.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.cache.CacheConfig;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.codec.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebHelpersTest {

    private final CacheManager manager = CacheManager.builder().build();

    @Test
    void freshnessFollowsCacheControl() {
        assertThat(HttpResponseCache.freshness(200, "public, max-age=60")).contains(Duration.ofSeconds(60));
        assertThat(HttpResponseCache.freshness(200, "max-age=60, s-maxage=10")).contains(Duration.ofSeconds(10));
        assertThat(HttpResponseCache.freshness(200, "no-store")).isEmpty();
        assertThat(HttpResponseCache.freshness(200, "private, max-age=60")).isEmpty();
        assertThat(HttpResponseCache.freshness(200, "no-cache")).isEmpty();
        assertThat(HttpResponseCache.freshness(200, null)).isEmpty();
        assertThat(HttpResponseCache.freshness(500, "max-age=60")).isEmpty();
        assertThat(HttpResponseCache.freshness(200, "max-age=abc")).isEmpty();
    }

    @Test
    void storesGetResponsesAndAnswersConditionalRequests() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        HttpResponseCache http = new HttpResponseCache(manager.cache("http", CacheConfig.ofDefaults(),
                JsonCodec.of(CachedResponse.class)), clock);
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(http.lookup("GET", "/a?x=1", List.of(), null)).isInstanceOf(HttpResponseCache.Miss.class);
        assertThat(http.store("POST", "/a?x=1", List.of(), 200, "max-age=60", null, Map.of(), body)).isEmpty();
        assertThat(http.store("GET", "/a?x=1", List.of(), 200, "no-store", null, Map.of(), body)).isEmpty();
        CachedResponse stored = http.store("GET", "/a?x=1", List.of(), 200, "max-age=60", null,
                Map.of("content-type", List.of("text/plain")), body).orElseThrow();
        assertThat(stored.etag()).startsWith("\"").endsWith("\"");
        assertThat(http.lookup("GET", "/a?x=1", List.of(), null)).isEqualTo(new HttpResponseCache.Hit(stored));
        assertThat(http.lookup("GET", "/a?x=1", List.of(), "\"other\", " + stored.etag()))
                .isEqualTo(new HttpResponseCache.NotModified(stored.etag()));
        assertThat(http.lookup("GET", "/a?x=1", List.of(), "W/" + stored.etag()))
                .isInstanceOf(HttpResponseCache.NotModified.class);
        assertThat(http.lookup("GET", "/a?x=2", List.of(), null)).isInstanceOf(HttpResponseCache.Miss.class);
        // Variants by Vary values are separate entries.
        assertThat(http.lookup("GET", "/a?x=1", List.of("gzip"), null)).isInstanceOf(HttpResponseCache.Miss.class);
        // Stale after max-age.
        HttpResponseCache later = new HttpResponseCache(manager.get("http").map(c -> {
            @SuppressWarnings("unchecked")
            var typed = (io.github.perfkit.cache.MultilevelCache<CachedResponse>) c;
            return typed;
        }).orElseThrow(), Clock.fixed(now.plusSeconds(61), ZoneOffset.UTC));
        assertThat(later.lookup("GET", "/a?x=1", List.of(), null)).isInstanceOf(HttpResponseCache.Miss.class);
        http.invalidate("/a?x=1");
        assertThat(http.lookup("GET", "/a?x=1", List.of(), null)).isInstanceOf(HttpResponseCache.Miss.class);
    }

    @Test
    void cachedResponsesSurviveTheJsonCodec() {
        JsonCodec<CachedResponse> codec = JsonCodec.of(CachedResponse.class);
        CachedResponse r = new CachedResponse(200, Map.of("content-type", List.of("text/plain")),
                new byte[] {0, 1, (byte) 0xff}, "\"e\"", 123L);
        CachedResponse back = codec.decode(codec.encode(r));
        assertThat(back.body()).containsExactly(0, 1, 0xff);
        assertThat(back.headers()).isEqualTo(r.headers());
        assertThat(back.etag()).isEqualTo("\"e\"");
        assertThat(back.expiresAtEpochMillis()).isEqualTo(123L);
    }

    /** Session data. */
    public record Cart(List<String> items) {
    }

    @Test
    void sessionsHaveRandomValidatedIds() {
        SessionStore<Cart> sessions = new SessionStore<>(manager.cache("sessions", CacheConfig.ofDefaults(),
                JsonCodec.of(Cart.class)));
        String id = sessions.create(new Cart(List.of()));
        String other = sessions.create(new Cart(List.of()));
        assertThat(id).hasSize(22).isNotEqualTo(other).matches("[A-Za-z0-9_-]+");
        sessions.save(id, new Cart(List.of("book")));
        assertThat(sessions.find(id)).contains(new Cart(List.of("book")));
        assertThat(sessions.find("*")).isEmpty();
        assertThat(sessions.find("short")).isEmpty();
        assertThatThrownBy(() -> sessions.save("../x", new Cart(List.of()))).isInstanceOf(IllegalArgumentException.class);
        sessions.invalidate(id);
        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.find(other)).isPresent();
    }
}
