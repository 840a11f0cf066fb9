package io.github.perfkit.benchmarks;

import io.github.perfkit.core.Perf;
import io.github.perfkit.servlet.PerfFilter;
import io.github.perfkit.servlet.MetricNames;
import io.github.perfkit.servlet.PerfFilterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import net.bull.javamelody.MonitoringFilter;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Throughput and latency cost of the HTTP filter: the same hello-world servlet on loopback Jetty 12
 * servers, one per variant (by default three), one with no filter, one behind Perfkit's {@link PerfFilter} (default
 * configuration, a Prometheus registry, the hub ticking every second as in production) and one
 * behind JavaMelody's {@code net.bull.javamelody.MonitoringFilter} (its defaults, storage in a
 * temporary directory). A closed-loop load generator in the same JVM keeps {@code --connections}
 * keep-alive HTTP/1.1 connections busy (raw sockets, one thread each: send a request, read the
 * whole response, send the next), first a warm-up of every variant, then {@code --rounds} rounds
 * that run every variant for {@code --seconds} in an order rotated each round, so drift of the
 * machine (turbo, other processes) spreads over all variants. It prints, per variant, the median
 * requests per second over the rounds (with min and max), p50/p99/p99.9 latency over all rounds,
 * the process CPU time per request (servers, load generator and background threads together: the
 * difference between variants is the filter's CPU cost, a figure other processes on the machine
 * disturb less than throughput), and the difference from no filter (targets: Perfkit costs at most
 * 3 % throughput and 5 % p99, and less than JavaMelody).
 *
 * <p>Run on a quiet machine (the load generator shares the CPU with the servers, so give it the
 * whole machine):
 * <pre>
 * ./mvnw -q -pl perf-benchmarks -am package -DskipTests
 * java -Xms1g -Xmx1g -cp perf-benchmarks/target/benchmarks.jar io.github.perfkit.benchmarks.FilterThroughput \
 *     --connections 16 --warmup 20 --seconds 20 --rounds 5
 * </pre>
 * A smoke run ({@code --connections 4 --warmup 1 --seconds 1 --rounds 1}) takes about 10 seconds.
 * Options: {@code --connections N} (default 16), {@code --warmup S} (seconds per variant, default
 * 20), {@code --seconds S} (per variant and round, default 20), {@code --rounds N} (default 5),
 * {@code --variants none,perfkit,javamelody} (default those three, in that order; {@code micrometer}: a bare
 * Micrometer timer filter, the floor of any Micrometer-based HTTP instrumentation; {@code spring}: Spring Framework's
 * {@code ServerHttpObservationFilter}, what Spring Boot records {@code http.server.requests} with), {@code --profile-sampling R},
 * {@code --cpu-sampling R} and {@code --thread-usage false} (Perfkit's filter settings, to see what each feature costs; default the
 * filter's defaults), {@code --max-threads N} (each Jetty server's thread pool, default max(200, 2 × connections)),
 * {@code --diagnosis true}
 * (the hub also runs the continuous diagnosis; its JFR stream is JVM-wide, so compare two runs), {@code --load wrk}
 * (drive the servers with {@code wrk}, a separate process — {@code apt-get install wrk} — instead of the Java load
 * generator in this JVM: the JVM then holds only the servers, so CPU per request is theirs and no client threads
 * share the JIT, the heap and the scheduler's wake-ups with them), {@code --wrk-cpus 1} (run wrk under
 * {@code taskset -c 1}; start the JVM under {@code taskset -c 0}: servers and load generator then never share a CPU,
 * the servers' CPU is the bottleneck and req/s measures their cost per request directly).
 *
 * <p>A command-line tool: it prints its results to standard output. Not thread-safe (one run per JVM).
 */
public final class FilterThroughput {

    private static final byte[] BODY = "hello, world\n".getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** The monitoring filter in front of the servlet. */
    enum Variant {
        NONE("none"), PERFKIT("perfkit"), JAVAMELODY("javamelody"),
        /** The floor of any Micrometer-based HTTP filter: one cached timer per (path, status), nothing else. */
        MICROMETER("micrometer"),
        /** Spring Framework's {@code ServerHttpObservationFilter}: what Spring Boot records {@code http.server.requests} with. */
        SPRING("spring");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    private FilterThroughput() {}

    /**
     * Runs the comparison.
     *
     * @param args the options described in the class comment
     * @throws Exception when a server cannot start or the load fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int connections = positive(options, "connections", 16);
        int warmup = positive(options, "warmup", 20);
        int seconds = positive(options, "seconds", 20);
        int rounds = positive(options, "rounds", 5);
        int maxThreads = positive(options, "max-threads", Math.max(200, connections * 2));
        String load = options.getOrDefault("load", "java");
        if (!load.equals("java") && !load.equals("wrk")) {
            throw new IllegalArgumentException("--load must be java or wrk, was " + load);
        }
        boolean wrk = load.equals("wrk");
        String wrkCpus = options.get("wrk-cpus");
        if (wrkCpus != null && !wrkCpus.matches("[0-9][0-9,-]*")) {
            throw new IllegalArgumentException("--wrk-cpus must be a CPU list such as 1 or 1-3, was " + wrkCpus);
        }
        List<Variant> variants = new ArrayList<>();
        for (String v : options.getOrDefault("variants", "none,perfkit,javamelody").split(",")) {
            variants.add(Variant.valueOf(v.trim().toUpperCase(Locale.ROOT)));
        }
        PrintStream out = System.out;
        out.printf("FilterThroughput: %s %s, %d CPUs; %d connections, warm-up %d s, %d rounds of %d s per variant;"
                        + " load generator: %s%n", System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), connections, warmup, rounds, seconds,
                wrk ? "wrk (a separate process: CPU per request counts the servers only)" : "in this JVM");
        Path melodyDir = Files.createTempDirectory("perfkit-bench-javamelody");
        Map<Variant, Target> targets = new LinkedHashMap<>();
        Map<Variant, MeterRegistry> peers = new LinkedHashMap<>();
        boolean diagnosis = Boolean.parseBoolean(options.getOrDefault("diagnosis", "false"));
        Perf perf = Perf.builder().registry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .diagnosis(diagnosis).build();
        out.printf("continuous diagnosis (JFR stream, JVM-wide: every variant runs under it): %s%n", diagnosis);
        try {
            for (Variant v : variants) {
                Filter filter = switch (v) {
                    case NONE -> null;
                    case PERFKIT -> new PerfFilter(perf, PerfFilterConfig.builder()
                            .profileSamplingRate(Double.parseDouble(options.getOrDefault("profile-sampling", "1")))
                            .threadUsage(Boolean.parseBoolean(options.getOrDefault("thread-usage", "true")))
                            .cpuSamplingRate(Double.parseDouble(options.getOrDefault("cpu-sampling",
                                    Double.toString(PerfFilterConfig.DEFAULT_CPU_SAMPLING_RATE))))
                            .build());
                    case JAVAMELODY -> new MonitoringFilter();
                    case MICROMETER -> new BareTimerFilter(peerRegistry(peers, v));
                    case SPRING -> springObservationFilter(peerRegistry(peers, v));
                };
                targets.put(v, new Target(v, filter, melodyDir, maxThreads, wrk, wrkCpus));
            }
            for (Target t : targets.values()) {
                t.run(connections, warmup, null);
                out.printf("  warmed up %-10s %,10.0f req/s%n", t.variant.label, t.lastRate);
            }
            checkMonitoring(perf, peers, targets);
            for (int r = 0; r < rounds; r++) {
                StringBuilder line = new StringBuilder("  round " + (r + 1) + ":");
                for (int i = 0; i < variants.size(); i++) {
                    Target t = targets.get(variants.get((i + r) % variants.size()));
                    t.run(connections, seconds, t.histogram);
                    t.rates.add(t.lastRate);
                    line.append(String.format(Locale.ROOT, "  %s %,.0f", t.variant.label, t.lastRate));
                }
                out.println(line);
            }
            report(out, targets);
        } finally {
            for (Target t : targets.values()) {
                t.stop();
            }
            perf.close();
            deleteTree(melodyDir);
        }
    }

    /** Every filter really monitored the warm-up (a misconfigured filter would flatter it). */
    private static void checkMonitoring(Perf perf, Map<Variant, MeterRegistry> peers, Map<Variant, Target> targets)
            throws IOException {
        if (targets.containsKey(Variant.PERFKIT)
                && requestsRecorded(perf.registry(), MetricNames.HTTP_SERVER_REQUESTS) == 0) {
            throw new IllegalStateException("PerfFilter recorded no request during the warm-up");
        }
        for (Map.Entry<Variant, MeterRegistry> peer : peers.entrySet()) {
            if (requestsRecorded(peer.getValue(), "http.server.requests") == 0) {
                throw new IllegalStateException(peer.getKey().label + " recorded no request during the warm-up");
            }
        }
        Target melody = targets.get(Variant.JAVAMELODY);
        if (melody != null) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), melody.port)) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(("GET /monitoring HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = new BufferedInputStream(s.getInputStream());
                Response r = read(in);
                in.transferTo(OutputStream.nullOutputStream());
                if (r.status != 200) {
                    throw new IllegalStateException("JavaMelody's /monitoring answered " + r.status);
                }
            }
        }
    }

    private static void report(PrintStream out, Map<Variant, Target> targets) {
        Target base = targets.get(Variant.NONE);
        out.printf("%n%-11s %12s %25s %10s %10s %10s %12s %10s %12s %11s%n", "variant", "req/s (med)", "min..max",
                "p50 us", "p99 us", "p99.9 us", "req/s vs none", "p99 vs none", "CPU us/req", "CPU vs none");
        for (Target t : targets.values()) {
            double rate = median(t.rates);
            double p99 = t.p99Micros();
            String dRate = base == null ? "" : String.format(Locale.ROOT, "%+.1f %%", 100 * (rate / median(base.rates) - 1));
            String dP99 = base == null ? "" : String.format(Locale.ROOT, "%+.1f %%",
                    100 * (p99 / base.p99Micros() - 1));
            String dCpu = base == null ? "" : String.format(Locale.ROOT, "%+.1f %%",
                    100 * (t.cpuMicrosPerRequest() / base.cpuMicrosPerRequest() - 1));
            out.printf(Locale.ROOT, "%-11s %,12.0f %25s %10.1f %10.1f %10.1f %12s %10s %12.2f %11s%n", t.variant.label,
                    rate, String.format(Locale.ROOT, "%,.0f..%,.0f", min(t.rates), max(t.rates)),
                    t.wrk ? median(t.wrkP50) : t.histogram.getValueAtPercentile(50) / 1e3, p99,
                    t.wrk ? Double.NaN : t.histogram.getValueAtPercentile(99.9) / 1e3,
                    dRate, dP99, t.cpuMicrosPerRequest(), dCpu);
        }
        out.printf("requests: %s; errors: %s%n", counts(targets, true), counts(targets, false));
        if (base != null) {
            // Rounds drift together (the machine's speed changes over minutes): the ratio to the no-filter run of
            // the same round cancels that drift.
            for (Target t : targets.values()) {
                if (t == base) {
                    continue;
                }
                List<Double> ratios = new ArrayList<>();
                for (int r = 0; r < t.rates.size() && r < base.rates.size(); r++) {
                    ratios.add(100 * (t.rates.get(r) / base.rates.get(r) - 1));
                }
                out.printf(Locale.ROOT, "paired req/s vs none (same round): %s median %+.1f %% (%s)%n", t.variant.label,
                        median(ratios), ratios.stream().map(d -> String.format(Locale.ROOT, "%+.1f", d)).toList());
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String counts(Map<Variant, Target> targets, boolean ok) {
        StringBuilder sb = new StringBuilder();
        for (Target t : targets.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(t.variant.label).append(' ')
                    .append(ok ? t.measured : t.errors);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ one server and its load

    /** One Jetty server with the servlet behind one variant's filter, and its measurements. */
    private static final class Target {
        final Variant variant;
        final Server server;
        final int port;
        final Histogram histogram = new Histogram(MAX_LATENCY_NANOS, 3);
        final List<Double> rates = new ArrayList<>();
        long errors;
        double lastRate;
        long cpuNanos;
        long cpuRequests;
        long measured;
        final boolean wrk;
        final String wrkCpus;
        /** Per measured round with wrk: its p50 and p99 in µs (wrk reports percentiles, not a histogram). */
        final List<Double> wrkP50 = new ArrayList<>();
        final List<Double> wrkP99 = new ArrayList<>();

        Target(Variant variant, Filter filter, Path melodyDir, int maxThreads, boolean wrk, String wrkCpus)
                throws Exception {
            this.variant = variant;
            this.wrk = wrk;
            this.wrkCpus = wrkCpus;
            QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
            pool.setName("bench-" + variant.label);
            server = new Server(pool);
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler ctx = new ServletContextHandler();
            ctx.setContextPath("/");
            if (filter != null) {
                FilterHolder holder = new FilterHolder(filter);
                if (variant == Variant.JAVAMELODY) {
                    holder.setInitParameter("storage-directory", melodyDir.toString());
                }
                holder.setAsyncSupported(true);
                ctx.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
            }
            ctx.addServlet(new ServletHolder(new Hello()), "/*");
            server.setHandler(ctx);
            server.start();
            port = connector.getLocalPort();
        }

        /** p99 in µs: of the recorded latencies, or with wrk the median of the rounds' p99. */
        double p99Micros() {
            return wrk ? median(wrkP99) : histogram.getValueAtPercentile(99) / 1e3;
        }

        /** Runs the closed loop for {@code seconds}; records latencies into {@code into} when not null. */
        void run(int connections, int seconds, Histogram into) throws Exception {
            if (wrk) {
                runWrk(connections, seconds, into != null);
                return;
            }
            AtomicBoolean stop = new AtomicBoolean();
            CyclicBarrier start = new CyclicBarrier(connections + 1);
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Worker w = new Worker(port, "/hello/" + i, start, stop);
                workers.add(w);
                w.thread.start();
            }
            start.await(30, TimeUnit.SECONDS);
            long began = System.nanoTime();
            long cpuBegan = processCpuNanos();
            TimeUnit.SECONDS.sleep(seconds);
            stop.set(true);
            long requests = 0;
            for (Worker w : workers) {
                w.thread.join(TimeUnit.SECONDS.toMillis(30));
                requests += w.latencies.getTotalCount();
                errors += into == null ? 0 : w.errors;
                if (w.failure != null && w.latencies.getTotalCount() == 0) {
                    throw new IOException(variant.label + ": the load failed", w.failure);
                }
                if (into != null) {
                    into.add(w.latencies);
                }
            }
            lastRate = requests / ((System.nanoTime() - began) / 1e9);
            if (into != null) {
                cpuNanos += processCpuNanos() - cpuBegan;
                cpuRequests += requests;
                measured += requests;
            }
        }

        /**
         * The same closed loop from wrk, a separate process ({@code wrk -t2 -cN -dS --latency}): the JVM's CPU time is
         * then the servers' alone.
         */
        void runWrk(int connections, int seconds, boolean record) throws Exception {
            List<String> command = new ArrayList<>();
            if (wrkCpus != null) {
                command.addAll(List.of("taskset", "-c", wrkCpus));
            }
            command.addAll(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
                    "http://127.0.0.1:" + port + "/hello/7"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            long cpuBegan = processCpuNanos();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            long cpu = processCpuNanos() - cpuBegan;
            if (p.waitFor() != 0) {
                throw new IOException("wrk failed: " + text);
            }
            java.util.regex.Matcher done = java.util.regex.Pattern.compile("(\\d+) requests in").matcher(text);
            java.util.regex.Matcher rate = java.util.regex.Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(text);
            if (!done.find() || !rate.find()) {
                throw new IOException("unexpected wrk output: " + text);
            }
            long requests = Long.parseLong(done.group(1));
            lastRate = Double.parseDouble(rate.group(1));
            java.util.regex.Matcher bad = java.util.regex.Pattern.compile("Non-2xx or 3xx responses: (\\d+)")
                    .matcher(text);
            java.util.regex.Matcher socket = java.util.regex.Pattern.compile(
                    "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(text);
            long failed = bad.find() ? Long.parseLong(bad.group(1)) : 0;
            if (socket.find()) {
                for (int g = 1; g <= 4; g++) {
                    failed += Long.parseLong(socket.group(g));
                }
            }
            if (record) {
                errors += failed;
                cpuNanos += cpu;
                cpuRequests += requests;
                measured += requests;
                wrkP50.add(wrkPercentile(text, "50%"));
                wrkP99.add(wrkPercentile(text, "99%"));
            }
        }

        /** A percentile line of wrk's latency distribution ("  99%    1.20ms"), in µs. */
        private static double wrkPercentile(String text, String label) throws IOException {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "\\s" + java.util.regex.Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)").matcher(text);
            if (!m.find()) {
                throw new IOException("no " + label + " in wrk's output: " + text);
            }
            double v = Double.parseDouble(m.group(1));
            return switch (m.group(2)) {
                case "us" -> v;
                case "ms" -> v * 1e3;
                default -> v * 1e6;
            };
        }

        /** Process CPU time (servers, load generator, background threads) per measured request, in µs. */
        double cpuMicrosPerRequest() {
            return cpuRequests == 0 ? 0 : cpuNanos / 1e3 / cpuRequests;
        }

        void stop() throws Exception {
            server.stop();
        }
    }

    /** One keep-alive connection in a closed loop. */
    private static final class Worker implements Runnable {
        final Thread thread;
        final Histogram latencies = new Histogram(MAX_LATENCY_NANOS, 3);
        final byte[] request;
        final int port;
        final CyclicBarrier start;
        final AtomicBoolean stop;
        long errors;
        Exception failure;

        Worker(int port, String path, CyclicBarrier start, AtomicBoolean stop) {
            this.port = port;
            this.start = start;
            this.stop = stop;
            this.request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUser-Agent: perfkit-bench\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            this.thread = new Thread(this, "bench-client");
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            Socket socket = null;
            try {
                socket = connect();
                start.await(30, TimeUnit.SECONDS);
                InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                OutputStream out = socket.getOutputStream();
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    out.write(request);
                    out.flush();
                    Response r = read(in);
                    latencies.recordValue(Math.min(MAX_LATENCY_NANOS, System.nanoTime() - t0));
                    if (r.status != 200) {
                        errors++;
                    }
                    if (r.close) {
                        socket.close();
                        socket = connect();
                        in = new BufferedInputStream(socket.getInputStream(), 8192);
                        out = socket.getOutputStream();
                    }
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // Closing a finished connection.
                    }
                }
            }
        }

        private Socket connect() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(30_000);
            return s;
        }
    }

    private record Response(int status, boolean close) {}

    /** Reads one HTTP/1.1 response (Content-Length or chunked body) and discards the body. */
    static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16); size > 0;
                    size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16)) {
                skip(in, size);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // Trailers.
            }
        } else if (length > 0) {
            skip(in, length);
        }
        return new Response(status, close);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                s = 1;
            }
            left -= s;
        }
    }

    private static long requestsRecorded(MeterRegistry registry, String timer) {
        long seen = 0;
        for (Timer t : registry.find(timer).timers()) {
            seen += t.count();
        }
        return seen;
    }

    /** A registry of its own for a peer filter, as in an application that has only that filter. */
    private static MeterRegistry peerRegistry(Map<Variant, MeterRegistry> peers, Variant v) {
        MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        peers.put(v, registry);
        return registry;
    }

    /** Spring's observation filter recording into {@code registry} through Micrometer's default meter handler. */
    private static Filter springObservationFilter(MeterRegistry registry) {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
        return new ServerHttpObservationFilter(observations);
    }

    /**
     * The least a Micrometer HTTP filter can do: two clock reads and one timer, looked up by path and status in a
     * map of cached timers (no template, no request id, no MDC, no sizes, no in-flight registry, no profile). For the
     * benchmark only: its map is keyed by the raw path, without a cap.
     */
    static final class BareTimerFilter implements Filter {
        private final MeterRegistry registry;
        private final ConcurrentHashMap<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();

        BareTimerFilter(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            long start = System.nanoTime();
            try {
                chain.doFilter(request, response);
            } finally {
                HttpServletRequest req = (HttpServletRequest) request;
                int status = ((HttpServletResponse) response).getStatus();
                String path = req.getRequestURI();
                AtomicReferenceArray<Timer> byStatus =
                        timers.computeIfAbsent(path, p -> new AtomicReferenceArray<>(600));
                int i = status >= 0 && status < 600 ? status : 0;
                Timer timer = byStatus.get(i);
                if (timer == null) {
                    timer = Timer.builder("http.server.requests").tags("method", req.getMethod(), "uri", path,
                            "status", Integer.toString(status)).register(registry);
                    byStatus.set(i, timer);
                }
                timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The application: a fixed, small plain-text answer. */
    static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            res.setContentType("text/plain; charset=utf-8");
            res.setContentLength(BODY.length);
            res.getOutputStream().write(BODY);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --connections N --warmup S --seconds S --rounds N "
                        + "--variants none,perfkit,javamelody --diagnosis false; got " + Arrays.toString(args));
            }
            out.put(args[i].substring(2), args[i + 1]);
        }
        for (String k : out.keySet()) {
            if (!List.of("connections", "warmup", "seconds", "rounds", "variants", "diagnosis", "profile-sampling",
                    "thread-usage", "cpu-sampling", "max-threads", "load", "wrk-cpus").contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k);
            }
        }
        return out;
    }

    private static int positive(Map<String, String> options, String name, int def) {
        String v = options.get(name);
        int n = v == null ? def : Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return n;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
