package io.github.perfkit.servlet.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Validates and generates request ids. Thread-safe (stateless). */
public final class RequestIds {

    /** Longest accepted request id. */
    public static final int MAX_LENGTH = 64;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private RequestIds() {}

    /**
     * Whether a client-sent id may be used: 1..64 of {@code [A-Za-z0-9._-]}.
     *
     * @param id the header value, or null
     * @return true when well-formed
     */
    public static boolean isValid(@Nullable String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * A new random id of 32 lower-case hex digits (128 random bits).
     *
     * @return the id
     */
    public static String generate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] out = new byte[32];
        long a = r.nextLong();
        long b = r.nextLong();
        for (int i = 0; i < 16; i++) {
            out[i] = HEX[(int) (a >>> (60 - 4 * i)) & 0xf];
            out[16 + i] = HEX[(int) (b >>> (60 - 4 * i)) & 0xf];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
