package io.github.perfkit.examples.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command line of the load generator. Prints a progress line every few seconds and a summary at the end (also on
 * Ctrl-C).
 *
 * <pre>
 * --url [WEIGHT*][METHOD ]URL   a target, repeatable; {N..M} in the URL is a random integer in [N, M]
 * --concurrency N               worker threads = most requests in flight (default 8)
 * --duration D                  30s, 5m, 1h, 500ms; 0 runs until Ctrl-C (default 30s)
 * --rate R                      open-model target req/s; 0 = closed loop (default 0)
 * --progress D                  progress line interval (default 5s)
 * --timeout D                   per-request timeout (default 10s)
 * </pre>
 *
 * <p>Thread-safety: not applicable (a program entry point).
 */
public final class LoadMain {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private LoadMain() {
    }

    /**
     * Runs the load generator.
     *
     * @param args the options, see the class description
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        LoadGenerator.Builder builder;
        try {
            builder = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (builder == null) {
            out.println(usage());
            return;
        }
        LoadGenerator generator = builder.onProgress(p -> out.println(p.line())).build();
        CountDownLatch printed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            generator.stop();
            try {
                printed.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "load-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LoadResult result = generator.run();
        out.print(result.summary());
        out.flush();
        printed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and lets the JVM exit now that the summary is printed
        }
    }

    /**
     * Parses the options into a builder.
     *
     * @param args the options
     * @return the builder, or null when help was asked for
     * @throws IllegalArgumentException naming the bad option
     */
    static LoadGenerator.Builder parse(String[] args) {
        LoadGenerator.Builder b = LoadGenerator.builder();
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                return null;
            }
            String value;
            int eq = option.indexOf('=');
            if (option.startsWith("--") && eq > 0) {
                value = option.substring(eq + 1);
                option = option.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + ": needs a value");
                }
                value = args[++i];
            }
            try {
                switch (option) {
                    case "--url" -> targets.add(Target.parse(value));
                    case "--concurrency" -> b.concurrency(Integer.parseInt(value.trim()));
                    case "--duration" -> b.duration(duration(value));
                    case "--rate" -> b.rate(Double.parseDouble(value.trim()));
                    case "--progress" -> b.progressInterval(duration(value));
                    case "--timeout" -> b.requestTimeout(duration(value));
                    default -> throw new IllegalArgumentException("unknown option");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " " + value + ": " + e.getMessage(), e);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("--url: at least one is needed");
        }
        b.targets(targets);
        b.build();
        return b;
    }

    /**
     * Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or plain seconds.
     *
     * @param text the duration
     * @return the duration
     * @throws IllegalArgumentException if malformed
     */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (500ms, 30s, 5m, 1h): " + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static String usage() {
        return """
                usage: LoadMain --url [WEIGHT*][METHOD ]URL [--url ...] [--concurrency 8] [--duration 30s] [--rate 0]
                                [--progress 5s] [--timeout 10s]
                  --url          a target, repeatable; {N..M} in the URL is a random integer in [N, M],
                                 e.g. --url '3*http://localhost:8080/api/products/{1..5000}'
                  --concurrency  worker threads, i.e. the most requests in flight
                  --duration     500ms, 30s, 5m, 1h; 0 runs until Ctrl-C
                  --rate         open-model target requests per second (latency counts from the due time); 0 = closed loop
                  --progress     interval of the progress line
                  --timeout      per-request connect and response timeout""";
    }
}
