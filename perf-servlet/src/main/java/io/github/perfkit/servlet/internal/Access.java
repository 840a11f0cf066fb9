package io.github.perfkit.servlet.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Client address and bearer-token checks of the monitoring endpoints. Thread-safe (immutable). */
public final class Access {

    private final @Nullable byte[] tokenDigest;
    private final Set<String> trustedProxies;

    /**
     * @param token the bearer token, or null for none
     * @param trustedProxies addresses whose {@code X-Forwarded-For} is believed
     */
    public Access(@Nullable String token, Set<String> trustedProxies) {
        this.tokenDigest = token == null ? null : sha256(token);
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    /** @return whether a token is configured */
    public boolean hasToken() {
        return tokenDigest != null;
    }

    /**
     * The client address: the remote address, or, when that is a trusted proxy, the right-most
     * {@code X-Forwarded-For} entry that is not itself a trusted proxy.
     *
     * @param remoteAddr the connection's remote address
     * @param forwardedFor the {@code X-Forwarded-For} header, or null
     * @return the client address
     */
    public String clientAddress(String remoteAddr, @Nullable String forwardedFor) {
        if (forwardedFor == null || !trustedProxies.contains(strip(remoteAddr))) {
            return remoteAddr;
        }
        String[] hops = forwardedFor.split(",", 32);
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty()) {
                continue;
            }
            if (!trustedProxies.contains(strip(hop))) {
                return hop;
            }
        }
        return remoteAddr;
    }

    /**
     * Whether an address is a loopback literal (127.0.0.0/8, ::1, IPv4-mapped 127.x). No DNS.
     *
     * @param address an address literal
     * @return true for loopback
     */
    public static boolean isLoopback(String address) {
        String a = strip(address).toLowerCase(Locale.ROOT);
        if (a.startsWith("::ffff:")) {
            a = a.substring(7);
        }
        if (a.equals("::1") || a.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        if (!a.startsWith("127.")) {
            return false;
        }
        String[] parts = a.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Constant-time check of an {@code Authorization: Bearer} header against the configured token.
     *
     * @param authorization the header, or null
     * @return true when a token is configured and the header carries it
     */
    public boolean tokenMatches(@Nullable String authorization) {
        byte[] expected = tokenDigest;
        if (expected == null || authorization == null || authorization.length() > 4096) {
            return false;
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Comparing digests makes the comparison constant-time whatever the lengths.
        return MessageDigest.isEqual(expected, sha256(authorization.substring(7).trim()));
    }

    private static String strip(String address) {
        String a = address.trim();
        if (a.startsWith("[") && a.contains("]")) {
            a = a.substring(1, a.indexOf(']'));
        }
        int pct = a.indexOf('%');
        return pct >= 0 ? a.substring(0, pct) : a;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
