package io.github.perfkit.cache.web;

import io.github.perfkit.cache.MultilevelCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Caches responses of idempotent GET requests in a {@link MultilevelCache}, honouring the response's
 * {@code Cache-Control} ({@code no-store}, {@code private}, {@code no-cache}, {@code max-age},
 * {@code s-maxage}) and answering {@code If-None-Match} with 304 from the stored {@code ETag}.
 * Keys are {@code GET <uri>} plus the values of the request headers the response varies on. Thread-safe.
 *
 * <pre>{@code
 * HttpResponseCache http = new HttpResponseCache(manager.cache("http", cfg, JsonCodec.of(CachedResponse.class)));
 * switch (http.lookup("GET", uri, List.of(), request.getHeader("If-None-Match"))) { ... }
 * }</pre>
 */
public final class HttpResponseCache {

    /** Status codes cacheable by default (RFC 9110 section 15.1). */
    private static final Set<Integer> CACHEABLE_STATUS = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);
    private static final int MAX_URI_LENGTH = 400;

    private final MultilevelCache<CachedResponse> cache;
    private final Clock clock;

    /**
     * @param cache where responses are stored (its TTL caps freshness)
     */
    public HttpResponseCache(MultilevelCache<CachedResponse> cache) {
        this(cache, Clock.systemUTC());
    }

    /**
     * @param cache where responses are stored
     * @param clock wall clock for freshness
     */
    public HttpResponseCache(MultilevelCache<CachedResponse> cache, Clock clock) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Result of a lookup. */
    public sealed interface Lookup {
    }

    /** Nothing fresh stored: handle the request, then {@link #store}. */
    public record Miss() implements Lookup {
    }

    /**
     * A fresh stored response to replay.
     *
     * @param response the response
     */
    public record Hit(CachedResponse response) implements Lookup {
    }

    /**
     * The client's copy is current: answer 304 with this ETag.
     *
     * @param etag the entity tag
     */
    public record NotModified(String etag) implements Lookup {
    }

    /**
     * Looks a request up.
     *
     * @param method the request method (only GET is served from the cache)
     * @param uri the request URI with query string
     * @param varyValues values of the request headers the resource varies on, in a fixed order
     * @param ifNoneMatch the {@code If-None-Match} header, or null
     * @return what to do
     */
    public Lookup lookup(String method, String uri, List<String> varyValues, @Nullable String ifNoneMatch) {
        Optional<String> key = key(method, uri, varyValues);
        if (key.isEmpty()) {
            return new Miss();
        }
        CachedResponse r = cache.getIfPresent(key.get());
        if (r == null || r.expiresAtEpochMillis() <= clock.millis()) {
            return new Miss();
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, r.etag())) {
            return new NotModified(r.etag());
        }
        return new Hit(r);
    }

    /**
     * Stores a response if its request and {@code Cache-Control} allow it.
     *
     * @param method the request method
     * @param uri the request URI with query string
     * @param varyValues values of the request headers the resource varies on
     * @param status the status code
     * @param cacheControl the response's {@code Cache-Control}, or null
     * @param etag the response's {@code ETag}, or null to derive a strong one from the body
     * @param headers headers to replay
     * @param body the body
     * @return the stored response, or empty when not cacheable
     */
    public Optional<CachedResponse> store(String method, String uri, List<String> varyValues, int status,
                                          @Nullable String cacheControl, @Nullable String etag,
                                          Map<String, List<String>> headers, byte[] body) {
        Optional<String> key = key(method, uri, varyValues);
        Optional<Duration> freshFor = freshness(status, cacheControl);
        if (key.isEmpty() || freshFor.isEmpty()) {
            return Optional.empty();
        }
        CachedResponse r = new CachedResponse(status, headers, body, etag != null ? etag : etagOf(body),
                clock.millis() + freshFor.get().toMillis());
        cache.put(key.get(), r);
        return Optional.of(r);
    }

    /**
     * How long a response may be stored in a shared cache, from its status and {@code Cache-Control};
     * empty when it must not be stored.
     *
     * @param status the status code
     * @param cacheControl the header, or null
     * @return the freshness lifetime
     */
    public static Optional<Duration> freshness(int status, @Nullable String cacheControl) {
        if (!CACHEABLE_STATUS.contains(status) || cacheControl == null) {
            return Optional.empty();
        }
        long maxAge = -1;
        long sMaxAge = -1;
        for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
            String d = directive.trim();
            if (d.equals("no-store") || d.equals("private") || d.equals("no-cache") || d.startsWith("private=")
                    || d.startsWith("no-cache=")) {
                return Optional.empty();
            }
            if (d.startsWith("max-age=")) {
                maxAge = seconds(d.substring(8));
            } else if (d.startsWith("s-maxage=")) {
                sMaxAge = seconds(d.substring(9));
            }
        }
        long s = sMaxAge >= 0 ? sMaxAge : maxAge;
        return s > 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
    }

    private static long seconds(String v) {
        try {
            return Long.parseLong(v.replace("\"", "").trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A strong entity tag from the body's SHA-256.
     *
     * @param body the body
     * @return the quoted tag
     */
    public static String etagOf(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        String bare = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || (c.startsWith("W/") ? c.substring(2) : c).equals(bare)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Invalidates the stored variants of one URI.
     *
     * @param uri the request URI with query string
     */
    public void invalidate(String uri) {
        if (uri.length() <= MAX_URI_LENGTH && uri.chars().noneMatch(Character::isISOControl)) {
            cache.invalidatePattern(io.github.perfkit.cache.CacheKeys.escapeGlob("GET " + uri) + "*");
        }
    }

    private static Optional<String> key(String method, String uri, List<String> varyValues) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(varyValues, "varyValues");
        if (!method.equals("GET") || uri.length() > MAX_URI_LENGTH || uri.chars().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        if (varyValues.isEmpty()) {
            return Optional.of("GET " + uri);
        }
        // Vary values are user-controlled: hash them so they cannot lengthen or shape the key.
        String joined = String.join("\n", varyValues);
        return Optional.of("GET " + uri + "|" + etagOf(joined.getBytes(StandardCharsets.UTF_8)).replace("\"", ""));
    }
}
