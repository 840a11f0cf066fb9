package io.github.perfkit.cache;

import java.util.Objects;

/**
 * Key and pattern helpers: validation with clear messages, and escaping of user-supplied parts of
 * a Redis glob pattern. Stateless; thread-safe.
 *
 * <pre>{@code
 * cache.invalidatePattern("user:" + CacheKeys.escapeGlob(userId) + ":*");
 * }</pre>
 */
public final class CacheKeys {

    /** Longest pattern accepted by {@code invalidatePattern}. */
    public static final int MAX_PATTERN_LENGTH = 256;

    private CacheKeys() {
    }

    /**
     * Escapes the glob metacharacters {@code * ? [ ] \} so {@code part} matches only itself.
     *
     * @param part a user-supplied part of a pattern
     * @return the escaped part
     */
    public static String escapeGlob(String part) {
        Objects.requireNonNull(part, "part");
        StringBuilder sb = new StringBuilder(part.length() + 4);
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * Checks a key: not empty, at most {@code maxLength} characters, no control characters.
     *
     * @param key the key
     * @param maxLength the longest key accepted
     * @return the key
     * @throws IllegalArgumentException if the key is empty, too long or contains a control character
     */
    public static String validateKey(String key, int maxLength) {
        return check(key, maxLength, "key");
    }

    /**
     * Checks a pattern: not empty, at most {@link #MAX_PATTERN_LENGTH} characters, no control characters.
     *
     * @param pattern the pattern
     * @return the pattern
     * @throws IllegalArgumentException if the pattern is empty, too long or contains a control character
     */
    public static String validatePattern(String pattern) {
        return check(pattern, MAX_PATTERN_LENGTH, "pattern");
    }

    private static String check(String value, int maxLength, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("cache " + what + " must not be empty");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException("cache " + what + " is " + value.length()
                    + " characters long, the maximum is " + maxLength + ": hash long keys before caching");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "cache %s must not contain control characters (U+%04X at index %d)", what, (int) c, i));
            }
        }
        return value;
    }
}
