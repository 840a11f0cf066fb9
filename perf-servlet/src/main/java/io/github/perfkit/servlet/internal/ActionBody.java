package io.github.perfkit.servlet.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the parameters of a state-changing call from its body: form-encoded
 * ({@code application/x-www-form-urlencoded}) or a flat JSON object of strings, numbers and
 * booleans. Bounded: at most {@link #MAX_BYTES} bytes are read, at most {@link #MAX_PARAMS}
 * parameters with names of {@code [A-Za-z0-9._-]{1,64}} and values of at most
 * {@link #MAX_VALUE_LENGTH} characters; anything else is a {@link BadRequest}. Thread-safe (static
 * methods only).
 */
public final class ActionBody {

    /** Largest accepted body. */
    public static final int MAX_BYTES = 8 * 1024;
    /** Most parameters. */
    public static final int MAX_PARAMS = 32;
    /** Longest parameter value, in characters. */
    public static final int MAX_VALUE_LENGTH = 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The body was larger than {@link #MAX_BYTES}. Not thread-safe (an exception). */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        /** Creates the exception. */
        public TooLarge() {
            super("the body is larger than " + MAX_BYTES + " bytes");
        }
    }

    private ActionBody() {}

    /**
     * Reads and parses a body.
     *
     * @param in the request body
     * @param contentLength the declared length, or -1
     * @param contentType the {@code Content-Type}, or null
     * @param jsonObject parses JSON text into a map (null when the text is not a JSON object); it may
     *     throw {@link IllegalArgumentException} for malformed JSON
     * @return the parameters, in body order
     * @throws TooLarge when the body exceeds {@link #MAX_BYTES}
     * @throws IOException when reading fails
     * @throws BadRequest when the body is malformed
     */
    public static Map<String, String> read(InputStream in, long contentLength, @Nullable String contentType,
            Function<String, @Nullable Map<?, ?>> jsonObject) throws IOException {
        if (contentLength > MAX_BYTES) {
            throw new TooLarge();
        }
        byte[] body = in.readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            throw new TooLarge();
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        if (body.length == 0) {
            return Map.of();
        }
        String text = utf8(body);
        return switch (type) {
            case "application/json" -> json(text, jsonObject);
            case "application/x-www-form-urlencoded" -> form(text);
            default -> throw new BadRequest("Content-Type",
                    "use application/x-www-form-urlencoded or application/json");
        };
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("body", "not valid UTF-8");
        }
    }

    private static Map<String, String> form(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = decode(eq < 0 ? pair : pair.substring(0, eq));
                value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("body", "malformed form encoding");
            }
            put(out, name, value);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Percent-decoding with strict UTF-8 (URLDecoder would turn invalid bytes into U+FFFD silently). */
    private static String decode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("truncated escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        return utf8(out.toByteArray());
    }

    private static Map<String, String> json(String text, Function<String, @Nullable Map<?, ?>> jsonObject) {
        Map<?, ?> root;
        try {
            root = jsonObject.apply(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("body", "malformed JSON");
        }
        if (root == null) {
            throw new BadRequest("body", "the JSON body must be an object of parameter names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String name = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw new BadRequest(name, "values must be strings, numbers or booleans");
            }
            put(out, name, String.valueOf(v));
        }
        return Collections.unmodifiableMap(out);
    }

    private static void put(Map<String, String> out, String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new BadRequest(name, "parameter names are 1-64 letters, digits, '.', '_' or '-'");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new BadRequest(name, "value longer than " + MAX_VALUE_LENGTH + " characters");
        }
        if (out.containsKey(name)) {
            throw new BadRequest(name, "parameter given more than once");
        }
        if (out.size() >= MAX_PARAMS) {
            throw new BadRequest(name, "more than " + MAX_PARAMS + " parameters");
        }
        out.put(name, value);
    }
}
