package io.github.perfkit.servlet.internal;

import java.util.List;

/**
 * Allocation-free path checks for the common case: a <em>plain</em> raw path, one whose
 * {@link Paths#canonical(String) canonical form} is simply its lower-case form without a trailing
 * slash, because it has no percent escape, {@code ;parameter}, backslash, empty, {@code .} or
 * {@code ..} segment and no character outside printable ASCII. The filter checks every request
 * against the monitoring path, the excluded prefixes and the static extensions; for plain paths
 * these methods answer exactly as the canonical form would, without building it. Anything else
 * goes through {@link Paths#canonical(String)}.
 *
 * <p>Thread-safe (stateless).
 */
public final class PlainPaths {

    private PlainPaths() {}

    /**
     * Whether a raw path is plain.
     *
     * @param raw a raw path
     * @return true when its canonical form is its lower-case form without a trailing slash
     */
    public static boolean isPlain(String raw) {
        int n = raw.length();
        if (n == 0 || n > Paths.MAX_LENGTH || raw.charAt(0) != '/') {
            return false;
        }
        char prev = 0;
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == ';' || c == '\\') {
                return false;
            }
            if (prev == '/' && (c == '/' || c == '.')) {
                return false;
            }
            prev = c;
        }
        return true;
    }

    /**
     * Whether the canonical form of a plain path, from index {@code from} on, is a canonical base
     * path or below it (what {@link Paths#below(String, String)} answers non-null for).
     *
     * @param plain a plain path
     * @param from where the path to check starts (e.g. after the context path); the char there is {@code /}
     * @param base a lower-case base path ({@code /} for the root)
     * @return true when below or equal
     */
    public static boolean below(String plain, int from, String base) {
        if (base.equals("/")) {
            return true;
        }
        int end = end(plain);
        int b = base.length();
        // Cheap reject on the first character after the slash before the full case-insensitive compare.
        if (end - from < b || (b > 1 && Character.toLowerCase(plain.charAt(from + 1)) != base.charAt(1))
                || !plain.regionMatches(true, from, base, 0, b)) {
            return false;
        }
        return end - from == b || plain.charAt(from + b) == '/';
    }

    /**
     * Whether the canonical form of a plain path starts with one of the lower-case prefixes.
     *
     * @param plain a plain path
     * @param prefixes lower-case prefixes
     * @return true when one matches
     */
    public static boolean startsWithAny(String plain, List<String> prefixes) {
        int end = end(plain);
        for (int i = 0, n = prefixes.size(); i < n; i++) {
            String p = prefixes.get(i);
            if (p.length() <= end && plain.regionMatches(true, 0, p, 0, p.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the last segment of a plain path's canonical form ends in one of the lower-case
     * extensions (the whole suffix after its last dot).
     *
     * @param plain a plain path
     * @param extensions lower-case extensions such as {@code .css}
     * @return true when one matches
     */
    public static boolean hasExtension(String plain, List<String> extensions) {
        int end = end(plain);
        int dot = end - 1;
        while (dot >= 0 && plain.charAt(dot) != '.') {
            if (plain.charAt(dot) == '/') {
                return false;
            }
            dot--;
        }
        if (dot < 0) {
            return false;
        }
        int len = end - dot;
        for (int i = 0, n = extensions.size(); i < n; i++) {
            String e = extensions.get(i);
            if (e.length() == len && plain.regionMatches(true, dot, e, 0, len)) {
                return true;
            }
        }
        return false;
    }

    /** End of the canonical form: the length without one trailing slash (never below 1). */
    private static int end(String plain) {
        int n = plain.length();
        return n > 1 && plain.charAt(n - 1) == '/' ? n - 1 : n;
    }
}
