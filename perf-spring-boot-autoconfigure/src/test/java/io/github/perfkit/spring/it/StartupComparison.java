package io.github.perfkit.spring.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start-up cost as the module's README reports it (a measurement tool, not a test): reads the {@code RESULT} lines
 * {@link StartupLauncher} printed for alternating starts with {@code perfkit.enabled=false} and {@code true} (the
 * n-th start of each arm form the n-th round) and prints, for the wall time (JVM start → ready), the start-up
 * thread's and the process's CPU time: each arm's median, the median of the per-round differences with a bootstrap
 * 95 % interval, and their mean ± standard error. The starts themselves run from the shell, so that no other JVM
 * shares the machine with them (on two cores even an idle parent JVM's threads show); run them on a quiet machine:
 *
 * <pre>
 * for i in $(seq 40); do for a in false true; do
 *   java -cp "$CP" io.github.perfkit.spring.it.StartupLauncher $a sample.app-config=true; done; done &gt; /tmp/starts.txt
 * java -cp "$CP" io.github.perfkit.spring.it.StartupComparison /tmp/starts.txt
 * </pre>
 *
 * <p>Argument: the file with the launcher's output (other lines are ignored).
 */
public final class StartupComparison {

    private static final Pattern FIELD = Pattern.compile("([\\w-]+)=(\\d+)");
    private static final Pattern ARM = Pattern.compile("perfkit\\.enabled=(true|false)");
    private static final List<String> KEYS = List.of("jvm-to-ready", "main-cpu", "process-cpu");

    private StartupComparison() {}

    /**
     * @param args the file with {@link StartupLauncher}'s output
     * @throws IOException if the file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: StartupComparison FILE (StartupLauncher's output)");
        }
        System.out.print(report(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)));
    }

    /**
     * @param lines {@link StartupLauncher}'s output
     * @return the report, a line per measure
     * @throws IllegalArgumentException if there are fewer than two rounds
     */
    static String report(List<String> lines) {
        List<Map<String, Long>> without = new ArrayList<>();
        List<Map<String, Long>> with = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("RESULT ")) {
                continue;
            }
            Matcher arm = ARM.matcher(line);
            if (!arm.find()) {
                throw new IllegalArgumentException("no perfkit.enabled in: " + line);
            }
            (Boolean.parseBoolean(arm.group(1)) ? with : without).add(parse(line));
        }
        int rounds = Math.min(without.size(), with.size());
        if (rounds < 2) {
            throw new IllegalArgumentException("need at least two starts of each arm, have " + without.size()
                    + " without Perfkit and " + with.size() + " with it");
        }
        StringBuilder out = new StringBuilder();
        for (String key : KEYS) {
            long[] a = values(without.subList(0, rounds), key);
            long[] b = values(with.subList(0, rounds), key);
            long[] diff = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                diff[i] = b[i] - a[i];
            }
            double[] interval = bootstrapMedianInterval(diff, 5_000, 42);
            out.append(String.format(Locale.ROOT,
                    "%-13s without %7.1f ms, with %7.1f ms (medians); added: paired median %+.1f ms "
                            + "(95 %% interval %+.1f … %+.1f), mean %+.1f ± %.1f ms, %d rounds%n",
                    key, median(a), median(b), median(diff), interval[0], interval[1], mean(diff),
                    standardError(diff), rounds));
        }
        return out.toString();
    }

    static Map<String, Long> parse(String line) {
        Map<String, Long> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            fields.put(m.group(1), Long.parseLong(m.group(2)));
        }
        for (String key : KEYS) {
            if (!fields.containsKey(key)) {
                throw new IllegalArgumentException("no " + key + " in: " + line);
            }
        }
        return fields;
    }

    private static long[] values(List<Map<String, Long>> results, String key) {
        return results.stream().mapToLong(r -> r.get(key)).toArray();
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    static double standardError(long[] values) {
        double mean = mean(values);
        double squares = Arrays.stream(values).mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1)) / Math.sqrt(values.length);
    }

    /**
     * The percentile bootstrap of the median: {@code resamples} medians of resamples with replacement, their 2.5th and
     * 97.5th percentiles.
     */
    static double[] bootstrapMedianInterval(long[] values, int resamples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] medians = new double[resamples];
        long[] sample = new long[values.length];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < sample.length; i++) {
                sample[i] = values[random.nextInt(values.length)];
            }
            medians[r] = median(sample);
        }
        Arrays.sort(medians);
        return new double[] {medians[(int) (resamples * 0.025)], medians[(int) (resamples * 0.975) - 1]};
    }
}
