package io.github.perfkit.servlet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4: every line must be a valid
 * HELP, TYPE or sample line; label values use only the three legal escapes; TYPE precedes its
 * samples and appears once; a family's samples are contiguous; no series appears twice; a
 * histogram has a {@code +Inf} bucket equal to its {@code _count}. Throws
 * {@link IllegalArgumentException} naming the line on any violation.
 */
final class PrometheusText {

    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    static List<Sample> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("exposition must end with a newline");
        }
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Set<String> helps = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        Set<String> series = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + ": " + line;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    require(parts.length == 4 && METRIC.matcher(parts[2]).matches() && TYPES.contains(parts[3]), where);
                    require(types.put(parts[2], parts[3]) == null, where + " (second TYPE)");
                    require(!closedFamilies.contains(parts[2]), where + " (TYPE after samples)");
                } else if (parts.length >= 3 && parts[1].equals("HELP")) {
                    require(METRIC.matcher(parts[2]).matches(), where);
                    require(helps.add(parts[2]), where + " (second HELP)");
                    if (parts.length == 4) {
                        checkHelpEscapes(parts[3], where);
                    }
                }
                continue;
            }
            Sample s = sample(line, where);
            String family = family(s.name(), types);
            if (!family.equals(currentFamily)) {
                require(!closedFamilies.contains(family), where + " (family samples not contiguous)");
                if (currentFamily != null) {
                    closedFamilies.add(currentFamily);
                }
                currentFamily = family;
            }
            require(series.add(s.name() + new java.util.TreeMap<>(s.labels())), where + " (duplicate series)");
            samples.add(s);
        }
        checkHistograms(samples, types);
        return samples;
    }

    private static void checkHistograms(List<Sample> samples, Map<String, String> types) {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) {
                continue;
            }
            String name = t.getKey();
            Map<Map<String, String>, Double> inf = new HashMap<>();
            Map<Map<String, String>, Double> count = new HashMap<>();
            for (Sample s : samples) {
                if (s.name().equals(name + "_bucket")) {
                    require(s.labels().containsKey("le"), "bucket without le: " + s);
                    if (s.labels().get("le").equals("+Inf")) {
                        Map<String, String> l = new HashMap<>(s.labels());
                        l.remove("le");
                        inf.put(l, s.value());
                    }
                } else if (s.name().equals(name + "_count")) {
                    count.put(s.labels(), s.value());
                }
            }
            require(inf.equals(count), "histogram " + name + ": +Inf buckets " + inf + " differ from counts " + count);
        }
    }

    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_total", "_created", "_max"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return name;
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(METRIC.matcher(name).matches(), where + " (metric name)");
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                require(i < n, where + " (unterminated labels)");
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                require(eq > i, where + " (label)");
                String label = line.substring(i, eq);
                require(LABEL.matcher(label).matches(), where + " (label name " + label + ")");
                i = eq + 1;
                require(i < n && line.charAt(i) == '"', where + " (label value must be quoted)");
                i++;
                StringBuilder v = new StringBuilder();
                while (true) {
                    require(i < n, where + " (unterminated label value)");
                    char c = line.charAt(i);
                    if (c == '\\') {
                        require(i + 1 < n, where + " (dangling escape)");
                        char e = line.charAt(i + 1);
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw new IllegalArgumentException(where + " (illegal escape \\" + e + ")");
                        }
                        i += 2;
                    } else if (c == '"') {
                        i++;
                        break;
                    } else {
                        v.append(c);
                        i++;
                    }
                }
                require(labels.put(label, v.toString()) == null, where + " (duplicate label " + label + ")");
                require(i < n, where + " (unterminated labels)");
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
        }
        require(i < n && line.charAt(i) == ' ', where + " (space before value)");
        String[] rest = line.substring(i + 1).split(" ", -1);
        require(rest.length == 1 || rest.length == 2, where + " (value [timestamp])");
        double value = value(rest[0], where);
        if (rest.length == 2) {
            require(rest[1].matches("-?[0-9]+"), where + " (timestamp)");
        }
        return new Sample(name, labels, value);
    }

    private static double value(String s, String where) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                require(s.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?"), where + " (value " + s + ")");
                return Double.parseDouble(s);
        }
    }

    private static void checkHelpEscapes(String help, String where) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                require(i + 1 < help.length() && (help.charAt(i + 1) == '\\' || help.charAt(i + 1) == 'n'),
                        where + " (HELP escape)");
                i++;
            }
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("invalid exposition: " + what);
        }
    }
}
