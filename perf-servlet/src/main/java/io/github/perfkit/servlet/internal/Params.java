package io.github.perfkit.servlet.internal;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Strict parsing of query parameters: unknown or repeated parameters and malformed values are
 * {@link BadRequest}s naming the parameter. Not thread-safe (one per request).
 */
public final class Params {

    /** Longest duration accepted anywhere. */
    public static final Duration MAX_DURATION = Duration.ofDays(400);

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Instant MIN_INSTANT = Instant.EPOCH;
    private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59Z");

    private final Map<String, String[]> raw;

    /**
     * @param raw the request's parameter map
     * @param allowed the parameter names this endpoint accepts ({@code _} is always ignored)
     * @throws BadRequest for an unknown or repeated parameter
     */
    public Params(Map<String, String[]> raw, Set<String> allowed) {
        this.raw = raw;
        for (Map.Entry<String, String[]> e : raw.entrySet()) {
            String name = e.getKey();
            if (name.equals("_")) {
                continue;
            }
            if (!allowed.contains(name)) {
                throw new BadRequest(name, "unknown parameter; accepted: " + new java.util.TreeSet<>(allowed));
            }
            if (e.getValue().length != 1) {
                throw new BadRequest(name, "parameter given more than once");
            }
        }
    }

    /**
     * @param name parameter name
     * @return the value, or null when absent
     */
    public @Nullable String string(String name) {
        String[] v = raw.get(name);
        return v == null || v.length == 0 ? null : v[0];
    }

    /**
     * @param name parameter name
     * @return the value
     * @throws BadRequest when absent or empty
     */
    public String required(String name) {
        String v = string(name);
        if (v == null || v.isEmpty()) {
            throw new BadRequest(name, "required parameter is missing");
        }
        return v;
    }

    /**
     * @param name parameter name
     * @param def default when absent
     * @param min smallest accepted
     * @param max largest accepted
     * @return the value
     */
    public int integer(String name, int def, int min, int max) {
        String v = string(name);
        if (v == null) {
            return def;
        }
        if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadRequest(name, "must be an integer in [" + min + ", " + max + "]");
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw new BadRequest(name, "must be an integer in [" + min + ", " + max + "]");
        }
        return (int) n;
    }

    /**
     * @param name parameter name
     * @param def default when absent
     * @param choices accepted values (lower case)
     * @return the value
     */
    public String choice(String name, String def, List<String> choices) {
        String v = string(name);
        if (v == null) {
            return def;
        }
        String l = v.toLowerCase(Locale.ROOT);
        if (!choices.contains(l)) {
            throw new BadRequest(name, "must be one of " + choices);
        }
        return l;
    }

    /**
     * A meter name or id.
     *
     * @param name parameter name
     * @param required whether it must be present
     * @return the value, or null when absent and optional
     */
    public @Nullable String name(String name, boolean required) {
        String v = required ? required(name) : string(name);
        if (v != null && !NAME.matcher(v).matches()) {
            throw new BadRequest(name, "must be 1..200 of [A-Za-z0-9._-]");
        }
        return v;
    }

    /**
     * A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d} or ISO-8601 {@code PT5M}.
     *
     * @param name parameter name
     * @return the positive duration, or null when absent
     */
    public @Nullable Duration duration(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        Duration d;
        var m = DURATION.matcher(v);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else if (v.length() <= 64 && (v.startsWith("P") || v.startsWith("p"))) {
                d = Duration.parse(v);
            } else {
                throw new BadRequest(name, "must be a duration like 500ms, 30s, 5m, 1h, 7d or PT5M");
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new BadRequest(name, "must be a duration like 500ms, 30s, 5m, 1h, 7d or PT5M");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
            throw new BadRequest(name, "must be positive and at most " + MAX_DURATION.toDays() + " days");
        }
        return d;
    }

    /**
     * An instant as epoch milliseconds or ISO-8601 ({@code 2025-01-31T12:00:00Z}).
     *
     * @param name parameter name
     * @return the instant, or null when absent
     */
    public @Nullable Instant instant(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        Instant i;
        try {
            if (!v.isEmpty() && v.length() <= 15 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                i = Instant.ofEpochMilli(Long.parseLong(v));
            } else if (v.length() <= 64) {
                i = Instant.parse(v);
            } else {
                throw new BadRequest(name, "must be epoch milliseconds or an ISO-8601 instant");
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new BadRequest(name, "must be epoch milliseconds or an ISO-8601 instant");
        }
        if (i.isBefore(MIN_INSTANT) || i.isAfter(MAX_INSTANT)) {
            throw new BadRequest(name, "must be between 1970 and 9999");
        }
        return i;
    }

    /**
     * Tags as {@code key:value,key:value} (at most 16; keys 1..64 of {@code [A-Za-z0-9._-]}, values
     * 1..256 characters without comma).
     *
     * @param name parameter name
     * @return the tags, empty when absent
     */
    public Tags tags(String name) {
        String v = string(name);
        if (v == null || v.isEmpty()) {
            return Tags.empty();
        }
        String[] pairs = v.split(",", 18);
        if (pairs.length > 16) {
            throw new BadRequest(name, "at most 16 tags");
        }
        List<Tag> tags = new ArrayList<>(pairs.length);
        for (String pair : pairs) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new BadRequest(name, "must be key:value pairs separated by commas");
            }
            String key = pair.substring(0, colon);
            String value = pair.substring(colon + 1);
            if (!TAG_KEY.matcher(key).matches() || value.length() > 256) {
                throw new BadRequest(name, "tag keys are 1..64 of [A-Za-z0-9._-], values at most 256 characters");
            }
            tags.add(Tag.of(key, value));
        }
        return Tags.of(tags);
    }
}
