package io.github.perfkit.examples.load;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One weighted request target: an HTTP method and a URL template in which every {@code {N..M}} is replaced by a
 * uniformly random integer between N and M (inclusive) on each request, e.g.
 * {@code http://localhost:8080/api/products/{1..5000}}. The template is the target's label in the results.
 *
 * <p>Immutable and thread-safe.
 *
 * @param method the HTTP method, upper case ({@code GET}, {@code POST}, ...)
 * @param template the URL template
 * @param weight the relative weight among the targets, at least 1
 */
public record Target(String method, String template, int weight) {

    private static final Pattern RANGE = Pattern.compile("\\{(\\d{1,9})\\.\\.(\\d{1,9})}");
    private static final Pattern SPEC = Pattern.compile("^(?:(\\d{1,6})\\*)?(?:([A-Za-z]{3,7})\\s+)?(\\S+)$");

    /**
     * Validates the target.
     *
     * @param method the HTTP method
     * @param template the URL template
     * @param weight the relative weight
     * @throws IllegalArgumentException if the weight is below 1, the method is not a token of letters, or the
     *                                  template is not an absolute http(s) URL or has a range with N greater than M
     */
    public Target {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        method = method.toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]{3,7}")) {
            throw new IllegalArgumentException("method: not an HTTP method: " + method);
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight: must be at least 1, was " + weight);
        }
        Matcher m = RANGE.matcher(template);
        while (m.find()) {
            if (Long.parseLong(m.group(1)) > Long.parseLong(m.group(2))) {
                throw new IllegalArgumentException("template: range " + m.group() + " has N > M");
            }
        }
        URI sample = URI.create(RANGE.matcher(template).replaceAll("1"));
        String scheme = sample.getScheme() == null ? "" : sample.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || sample.getHost() == null) {
            throw new IllegalArgumentException("template: not an absolute http(s) URL: " + template);
        }
    }

    /**
     * A GET target of weight 1.
     *
     * @param template the URL template
     * @return the target
     * @throws IllegalArgumentException if the template is invalid
     */
    public static Target get(String template) {
        return new Target("GET", template, 1);
    }

    /**
     * Parses the command-line form {@code [WEIGHT*][METHOD ]URL}, e.g. {@code 3*http://host/a},
     * {@code POST http://host/b} or {@code 2*POST http://host/c/{1..9}}.
     *
     * @param spec the specification
     * @return the target
     * @throws IllegalArgumentException if the specification is malformed
     */
    public static Target parse(String spec) {
        Matcher m = SPEC.matcher(Objects.requireNonNull(spec, "spec").trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("url: expected [WEIGHT*][METHOD ]URL, was: " + spec);
        }
        int weight = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
        String method = m.group(2) == null ? "GET" : m.group(2);
        return new Target(method, m.group(3), weight);
    }

    /**
     * A concrete URI for one request, with every range replaced by a random value.
     *
     * @return the URI
     */
    public URI next() {
        Matcher m = RANGE.matcher(template);
        if (!m.find()) {
            return URI.create(template);
        }
        StringBuilder sb = new StringBuilder(template.length() + 8);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        do {
            long lo = Long.parseLong(m.group(1));
            long hi = Long.parseLong(m.group(2));
            m.appendReplacement(sb, Long.toString(random.nextLong(lo, hi + 1)));
        } while (m.find());
        m.appendTail(sb);
        return URI.create(sb.toString());
    }

    @Override
    public String toString() {
        return (weight == 1 ? "" : weight + "*") + (method.equals("GET") ? "" : method + " ") + template;
    }
}
