package io.github.perfkit.servlet.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Canonical form of request paths, so that {@code /perf;x/}, {@code //perf}, {@code /x/..;/perf},
 * percent-encoded and case variants all name the same resource. Thread-safe (stateless).
 */
public final class Paths {

    /** Longest path canonicalised; longer ones are cut (the result still starts with {@code /}). */
    public static final int MAX_LENGTH = 4096;

    private Paths() {}

    /**
     * Canonicalises a raw (percent-encoded) path: decodes percent escapes once, treats {@code \} as
     * {@code /}, drops {@code ;parameters} and empty or {@code .} segments, resolves {@code ..}
     * (never above the root) and lower-cases.
     *
     * @param raw the raw path, e.g. {@code getRequestURI()}
     * @return the canonical path, starting with {@code /}, without trailing slash (except {@code /})
     */
    public static String canonical(String raw) {
        String s = raw.length() > MAX_LENGTH ? raw.substring(0, MAX_LENGTH) : raw;
        Deque<String> segments = new ArrayDeque<>();
        int n = s.length();
        int i = 0;
        while (i <= n) {
            int end = i;
            while (end < n && s.charAt(end) != '/' && s.charAt(end) != '\\') {
                end++;
            }
            String seg = s.substring(i, end);
            int semi = seg.indexOf(';');
            if (semi >= 0) {
                seg = seg.substring(0, semi);
            }
            seg = decode(seg);
            // A decoded segment may itself contain separators or parameters (%2F, %3B): split again.
            String[] parts = seg.indexOf('/') < 0 && seg.indexOf('\\') < 0
                    ? new String[] {seg} : seg.replace('\\', '/').split("/", -1);
            for (String part : parts) {
                int sc = part.indexOf(';');
                String p = sc >= 0 ? part.substring(0, sc) : part;
                if (p.isEmpty() || p.equals(".")) {
                    continue;
                }
                if (p.equals("..")) {
                    segments.pollLast();
                } else {
                    segments.addLast(p.toLowerCase(Locale.ROOT));
                }
            }
            i = end + 1;
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (String seg : segments) {
            out.append('/').append(seg);
        }
        return out.toString();
    }

    /**
     * The path below a base path, or null when the canonical path is not under it.
     *
     * @param canonical a canonical path
     * @param base a canonical base path ({@code /} for the root)
     * @return the rest, starting with {@code /} ({@code /} for the base itself), or null
     */
    public static @org.jspecify.annotations.Nullable String below(String canonical, String base) {
        if (base.equals("/")) {
            return canonical;
        }
        if (canonical.equals(base)) {
            return "/";
        }
        if (canonical.startsWith(base) && canonical.charAt(base.length()) == '/') {
            return canonical.substring(base.length());
        }
        return null;
    }

    private static String decode(String seg) {
        if (seg.indexOf('%') < 0) {
            return seg;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(seg.length());
        int n = seg.length();
        for (int i = 0; i < n; i++) {
            char c = seg.charAt(i);
            if (c == '%' && i + 2 < n && hex(seg.charAt(i + 1)) >= 0 && hex(seg.charAt(i + 2)) >= 0) {
                bytes.write(hex(seg.charAt(i + 1)) * 16 + hex(seg.charAt(i + 2)));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
