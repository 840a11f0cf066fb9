package io.github.perfkit.servlet.internal;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns request paths into URI templates ({@code /users/123} → {@code /users/{id}}) and caps the
 * number of distinct templates: once {@code max} are known, any new one becomes {@link #OTHER}.
 * Memory is bounded by {@code max} × {@link #MAX_LENGTH}. Thread-safe.
 */
public final class UriTemplates {

    /** Template for everything past the cap. */
    public static final String OTHER = "OTHER";
    /** Longest template kept; longer paths are cut at a segment boundary and end in {@code /…}. */
    public static final int MAX_LENGTH = 200;
    /** Most segments kept. */
    public static final int MAX_SEGMENTS = 12;

    private static final String ID = "{id}";

    private final int max;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder overflow = new LongAdder();

    /**
     * @param max the cap on distinct templates
     */
    public UriTemplates(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        this.max = max;
    }

    /**
     * The template of a framework pattern or raw path, admitted under the cap.
     *
     * @param frameworkPattern the framework's matched pattern, or null
     * @param path the raw request path (without context path and query)
     * @return a known template or {@link #OTHER}
     */
    public String template(@org.jspecify.annotations.Nullable String frameworkPattern, String path) {
        String t = frameworkPattern != null && !frameworkPattern.isEmpty()
                ? clip(frameworkPattern) : normalise(path);
        return admit(t);
    }

    /**
     * Admits a template under the cap.
     *
     * @param template a normalised template
     * @return the template, or {@link #OTHER} when the cap is reached
     */
    public String admit(String template) {
        if (known.contains(template)) {
            return template;
        }
        if (size.incrementAndGet() > max) {
            size.decrementAndGet();
            overflow.increment();
            return OTHER;
        }
        if (!known.add(template)) {
            size.decrementAndGet();
        }
        return template;
    }

    /** @return number of distinct templates admitted */
    public int size() {
        return known.size();
    }

    /** @return number of paths folded into {@link #OTHER} */
    public long overflowCount() {
        return overflow.sum();
    }

    /** @return the cap */
    public int max() {
        return max;
    }

    /**
     * Normalises a raw path: drops {@code ;parameters}, collapses empty segments, replaces id-like
     * segments (numbers, UUIDs, hex hashes, long mixed tokens) with {@code {id}}, and bounds the
     * length and number of segments.
     *
     * @param path raw path
     * @return the template, always starting with {@code /}
     */
    public static String normalise(String path) {
        Objects.requireNonNull(path, "path");
        int n = path.length();
        if (n == 0 || n > MAX_LENGTH || path.charAt(0) != '/') {
            return build(path);
        }
        // The common case: the path stays as it is until a segment changes, so nothing is copied before that.
        int segments = 0;
        int start = 1;
        for (int i = 1; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c < 0x20 || c == 0x7f || c == ';') {
                return build(path);
            }
            if (c != '/') {
                continue;
            }
            if (i == start) {
                // An empty segment: only the root or a single trailing slash stays as is.
                if (i < n) {
                    return build(path);
                }
                continue;
            }
            if (++segments > MAX_SEGMENTS) {
                return build(path);
            }
            if (isId(path, start, i)) {
                // Everything before this segment stays: copy it once and go on from here.
                StringBuilder out = new StringBuilder(n + ID.length()).append(path, 0, start - 1);
                return build(path, start - 1, out, segments - 1);
            }
            start = i + 1;
        }
        return path;
    }

    /** The normalisation, always building a new string ({@link #normalise} returns the path when nothing changes). */
    static String build(String path) {
        return build(path, 0, new StringBuilder(Math.min(path.length(), MAX_LENGTH) + 8), 0);
    }

    /** Normalises {@code path} from index {@code from} on, appending to {@code out}, which holds {@code segments}. */
    private static String build(String path, int from, StringBuilder out, int segments) {
        int i = from;
        int n = path.length();
        while (i < n) {
            while (i < n && path.charAt(i) == '/') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int end = i;
            while (end < n && path.charAt(end) != '/') {
                end++;
            }
            int semi = path.indexOf(';', i);
            int segEnd = semi >= 0 && semi < end ? semi : end;
            if (segEnd > i) {
                if (segments == MAX_SEGMENTS || out.length() + (segEnd - i) + 1 > MAX_LENGTH) {
                    out.append("/…");
                    return out.toString();
                }
                out.append('/');
                if (isId(path, i, segEnd)) {
                    out.append(ID);
                } else {
                    appendSafe(out, path, i, segEnd);
                }
                segments++;
            }
            i = end;
        }
        if (out.length() == 0) {
            return "/";
        }
        if (n > 1 && path.charAt(n - 1) == '/' && out.length() < MAX_LENGTH) {
            out.append('/');
        }
        return out.toString();
    }

    /**
     * Cuts a framework pattern to {@link #MAX_LENGTH}.
     *
     * @param pattern the pattern
     * @return the pattern, at most {@link #MAX_LENGTH} characters plus an ellipsis
     */
    public static String clip(String pattern) {
        if (pattern.length() <= MAX_LENGTH) {
            return pattern;
        }
        return pattern.substring(0, MAX_LENGTH) + "…";
    }

    private static void appendSafe(StringBuilder out, String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            // Control characters never reach a label value.
            out.append(c < 0x20 || c == 0x7f ? '_' : c);
        }
    }

    /**
     * Whether a segment looks like an identifier: all digits; a UUID; 16+ hex digits; or a token of
     * 8+ characters mixing letters and digits (base64/ULID-like). Percent-encoded segments
     * longer than 32 characters count as ids too (opaque values).
     */
    static boolean isId(String s, int from, int to) {
        int len = to - from;
        int digits = 0;
        int hex = 0;
        int letters = 0;
        int other = 0;
        int dashes = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                hex++;
            } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                hex++;
                letters++;
            } else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')) {
                letters++;
            } else if (c == '-' || c == '_') {
                dashes++;
            } else {
                other++;
            }
        }
        if (digits == len) {
            return true;
        }
        if (len == 36 && dashes == 4 && hex == 32) {
            return true;
        }
        if (len >= 16 && hex == len) {
            return true;
        }
        if (len >= 8 && digits > 0 && letters > 0 && other == 0) {
            return true;
        }
        if (other > 0 && len > 32) {
            return true;
        }
        // Numbers with a sign, decimal point or dashes (dates like 2024-01-31, versions like 1.2.3).
        return digits > 0 && digits + dashes + countDots(s, from, to) == len;
    }

    private static int countDots(String s, int from, int to) {
        int dots = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '.') {
                dots++;
            }
        }
        return dots;
    }
}
