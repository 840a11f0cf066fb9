package io.github.perfkit.servlet.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Cross-site request forgery checks of the endpoints' state-changing calls. A browser request must
 * carry the endpoints' secret token in the {@link #HEADER} header (a cross-site page cannot read it:
 * the endpoints never answer cross-origin reads) and, when it says where it comes from, come from
 * the same origin: {@code Sec-Fetch-Site}, when present, must be {@code same-origin}, and
 * {@code Origin}, when present, must name the scheme, host and port the request was sent to (behind
 * a TLS-terminating proxy the container must know the forwarded scheme). Thread-safe (the token, drawn once, never changes).
 */
public final class Csrf {

    /** The request header that carries the token. */
    public static final String HEADER = "X-Perfkit-CSRF";

    // The token is drawn on first use (the dashboard's first page or POST), not when the endpoints are built: seeding
    // a SecureRandom is milliseconds of an application's start-up.
    private volatile @Nullable Secret secret;

    /** The token and its bytes, published together. */
    private record Secret(String text, byte[] bytes) {}

    /** Creates a checker; its random 256-bit token is drawn on first use. */
    public Csrf() {}

    private Secret secret() {
        Secret s = secret;
        if (s == null) {
            synchronized (this) {
                s = secret;
                if (s == null) {
                    byte[] raw = new byte[32];
                    new SecureRandom().nextBytes(raw);
                    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
                    s = new Secret(text, text.getBytes(StandardCharsets.US_ASCII));
                    secret = s;
                }
            }
        }
        return s;
    }

    /** @return the token the page sends back in {@link #HEADER} */
    public String token() {
        return secret().text();
    }

    /**
     * Checks one request; null when it passes.
     *
     * @param tokenHeader the {@link #HEADER} header, or null
     * @param origin the {@code Origin} header, or null
     * @param fetchSite the {@code Sec-Fetch-Site} header, or null
     * @param host the {@code Host} header, or null
     * @param scheme the request's scheme as the container sees it ({@code http} or {@code https})
     * @return null when the request passes, else why it is refused
     */
    public @Nullable String refusal(@Nullable String tokenHeader, @Nullable String origin, @Nullable String fetchSite,
            @Nullable String host, String scheme) {
        if (fetchSite != null && !fetchSite.trim().equalsIgnoreCase("same-origin")) {
            return "cross-site request refused (Sec-Fetch-Site: " + cut(fetchSite) + ")";
        }
        if (origin != null && !sameOrigin(origin, host, scheme.toLowerCase(Locale.ROOT))) {
            return "cross-origin request refused (Origin does not match the scheme and Host)";
        }
        if (tokenHeader == null || tokenHeader.length() > 256
                || !MessageDigest.isEqual(secret().bytes(), tokenHeader.trim().getBytes(StandardCharsets.US_ASCII))) {
            return "missing or wrong " + HEADER + " header: read the token from GET api/csrf";
        }
        return null;
    }

    private static boolean sameOrigin(String origin, @Nullable String host, String requestScheme) {
        if (host == null || origin.length() > 512 || origin.trim().equals("null")) {
            return false;
        }
        try {
            URI u = new URI(origin.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals(requestScheme) || u.getHost() == null) {
                return false;
            }
            // An origin is scheme, host and port only: anything more is not what a browser sends.
            if ((u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null
                    || u.getRawFragment() != null) {
                return false;
            }
            String authority = u.getRawAuthority();
            if (authority == null || authority.contains("@")) {
                return false;
            }
            return withPort(authority, scheme).equals(withPort(host.trim(), scheme));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Lowercase authority with the scheme's default port made explicit, so {@code a} equals {@code a:80}. */
    private static String withPort(String authority, String scheme) {
        String a = authority.toLowerCase(Locale.ROOT);
        int close = a.lastIndexOf(']');
        int colon = a.lastIndexOf(':');
        boolean hasPort = colon > close && colon > 0 && (close >= 0 || a.indexOf(':') == colon);
        if (hasPort) {
            return a;
        }
        return a + (scheme.equals("https") ? ":443" : ":80");
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
