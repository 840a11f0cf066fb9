package io.github.perfkit.cache.internal;

/**
 * Redis glob matching ({@code * ? [abc] [^a-z] \x}) for L1 keys, so a pattern removes the same
 * entries locally as {@code SCAN MATCH} finds remotely. Linear-backtracking, no regex. Stateless.
 */
public final class GlobMatcher {

    private GlobMatcher() {
    }

    /**
     * @param pattern the glob
     * @param text the text
     * @return whether the whole text matches
     */
    public static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = ++p;
                starT = t;
                continue;
            }
            int next = p < pattern.length() ? matchOne(pattern, p, text.charAt(t)) : -1;
            if (next >= 0) {
                p = next;
                t++;
            } else if (starP >= 0) {
                p = starP;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Matches one pattern token at {@code p} against {@code c}; returns the next index or -1. */
    private static int matchOne(String pattern, int p, char c) {
        char pc = pattern.charAt(p);
        if (pc == '?') {
            return p + 1;
        }
        if (pc == '\\' && p + 1 < pattern.length()) {
            return pattern.charAt(p + 1) == c ? p + 2 : -1;
        }
        if (pc == '[') {
            int i = p + 1;
            boolean negate = i < pattern.length() && pattern.charAt(i) == '^';
            if (negate) {
                i++;
            }
            boolean matched = false;
            while (i < pattern.length() && pattern.charAt(i) != ']') {
                char lo = pattern.charAt(i);
                if (lo == '\\' && i + 1 < pattern.length()) {
                    lo = pattern.charAt(++i);
                }
                if (i + 2 < pattern.length() && pattern.charAt(i + 1) == '-' && pattern.charAt(i + 2) != ']') {
                    char hi = pattern.charAt(i + 2);
                    char a = (char) Math.min(lo, hi);
                    char b = (char) Math.max(lo, hi);
                    matched |= c >= a && c <= b;
                    i += 3;
                } else {
                    matched |= lo == c;
                    i++;
                }
            }
            // An unterminated class runs to the end of the pattern, as in Redis.
            int next = i < pattern.length() ? i + 1 : i;
            return matched != negate ? next : -1;
        }
        return pc == c ? p + 1 : -1;
    }
}
