package io.github.perfkit.alerts.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses the parameters of the alert section's dashboard actions; every failure is an
 * {@link IllegalArgumentException} whose message starts with the parameter's name. Thread-safe: stateless.
 */
public final class ActionParams {

    /** The longest silence an action may create. */
    public static final Duration MAX_SILENCE = Duration.ofDays(30);
    private static final int MAX_MATCHERS = 20;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,99}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|min|h|d)?");

    private ActionParams() {
    }

    /**
     * @param params the parameters
     * @param name a parameter name
     * @return its trimmed value
     * @throws IllegalArgumentException if it is missing or blank
     */
    public static String required(Map<String, String> params, String name) {
        String v = optional(params, name);
        if (v == null) {
            throw new IllegalArgumentException(name + ": required");
        }
        return v;
    }

    /**
     * @param params the parameters
     * @param name a parameter name
     * @return its trimmed value, or null if missing or blank
     */
    public static @Nullable String optional(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        return v.trim();
    }

    /**
     * Parses {@code label=value} pairs separated by commas, semicolons or new lines; commas inside
     * braces belong to the value (a subject such as {@code cpu{host=a,zone=b}}); a value ending in
     * {@code *} matches by prefix.
     *
     * @param text the text
     * @return the matchers, in order
     * @throws IllegalArgumentException naming {@code matchers} if a pair is malformed
     */
    public static Map<String, String> matchers(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            } else if ((c == ',' && depth == 0) || c == ';' || c == '\n' || c == '\r') {
                String pair = text.substring(start, i).trim();
                start = i + 1;
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String label = eq < 0 ? "" : pair.substring(0, eq).trim();
                String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
                if (!LABEL.matcher(label).matches() || value.isEmpty()) {
                    throw new IllegalArgumentException("matchers: '" + pair + "' is not label=value");
                }
                if (out.put(label, value) != null) {
                    throw new IllegalArgumentException("matchers: label '" + label + "' is given twice");
                }
                if (out.size() > MAX_MATCHERS) {
                    throw new IllegalArgumentException("matchers: at most " + MAX_MATCHERS + " pairs");
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("matchers: give at least one label=value pair");
        }
        return out;
    }

    /**
     * Parses a duration: {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, a number of seconds, or ISO-8601
     * ({@code PT30M}); positive and at most {@link #MAX_SILENCE}.
     *
     * @param name the parameter name (for the message)
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException naming the parameter if malformed or out of range
     */
    public static Duration duration(String name, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        Matcher m = SHORT_DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        } else {
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + ": '" + text
                        + "' is not a duration (e.g. 30m, 2h, 1d, 90s or PT30M)", e);
            }
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_SILENCE) > 0) {
            throw new IllegalArgumentException(name + ": must be positive and at most " + MAX_SILENCE.toDays()
                    + " days, was " + text);
        }
        return d;
    }
}
