package io.github.perfkit.cache.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server on a free loopback port for tests: the one on PATH, else the binary shipped
 * in the embedded-redis test jar. Never skips: no binary fails the test. Register with
 * {@code @RegisterExtension static RedisServer redis = new RedisServer();}. Stale servers of a
 * killed test JVM are found through pid files in target/redis and killed.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

    private static final Path DIR = Path.of("target", "redis");

    private final int port;
    private final boolean shipped;
    private final List<String> extraArgs;
    private final @org.jspecify.annotations.Nullable String password;
    private final @org.jspecify.annotations.Nullable Path sentinelConf;
    private final int tlsPort;
    private volatile Process process;

    /** A server on a fresh free port (not started). */
    public RedisServer() {
        this(freePort());
    }

    /**
     * @param port the port to use
     */
    public RedisServer(int port) {
        this(port, false);
    }

    private RedisServer(int port, boolean shipped, String... extraArgs) {
        this(port, shipped, null, null, 0, extraArgs);
    }

    private RedisServer(int port, boolean shipped, @org.jspecify.annotations.Nullable String password,
                        @org.jspecify.annotations.Nullable Path sentinelConf, int tlsPort, String... extraArgs) {
        this.port = port;
        this.shipped = shipped;
        this.password = password;
        this.sentinelConf = sentinelConf;
        this.tlsPort = tlsPort;
        this.extraArgs = List.of(extraArgs);
    }

    /**
     * A server that requires a password ({@code requirepass}).
     *
     * @param password the password
     * @param extraArgs further redis-server arguments (e.g. {@code --replicaof host port})
     * @return the server (not started)
     */
    public static RedisServer withPassword(String password, String... extraArgs) {
        List<String> args = new java.util.ArrayList<>(List.of("--requirepass", password));
        args.addAll(List.of(extraArgs));
        return new RedisServer(freePort(), false, password, null, 0, args.toArray(String[]::new));
    }

    /**
     * A server with a TLS port besides its plain port (the plain one for PING and test set-up). Needs a
     * redis-server built with TLS (Debian's is); the shipped fallback binary is not.
     *
     * @param cert the server's PEM certificate
     * @param key the server's PEM key
     * @param ca the PEM CA certificates that verify client certificates
     * @param authClients whether clients must present a certificate signed by {@code ca}
     * @return the server (not started)
     */
    public static RedisServer tls(Path cert, Path key, Path ca, boolean authClients) {
        int tls = freePort();
        return new RedisServer(freePort(), false, null, null, tls, "--tls-port", String.valueOf(tls),
                "--tls-cert-file", cert.toAbsolutePath().toString(), "--tls-key-file", key.toAbsolutePath().toString(),
                "--tls-ca-cert-file", ca.toAbsolutePath().toString(), "--tls-auth-clients", authClients ? "yes" : "no");
    }

    /**
     * A Redis Sentinel on a free port monitoring a master on loopback (quorum 1).
     *
     * @param masterName the master's name
     * @param masterPort the master's port
     * @param masterPassword the master's password, or null
     * @param sentinelPassword the Sentinel's own password ({@code requirepass}), or null
     * @return the sentinel (not started)
     */
    public static RedisServer sentinel(String masterName, int masterPort,
                                       @org.jspecify.annotations.Nullable String masterPassword,
                                       @org.jspecify.annotations.Nullable String sentinelPassword) {
        int port = freePort();
        Path conf = DIR.resolve("sentinel-" + port + ".conf");
        try {
            Files.createDirectories(DIR);
            Files.writeString(conf, "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1\n"
                    + "sentinel down-after-milliseconds " + masterName + " 5000\n"
                    + (masterPassword == null ? "" : "sentinel auth-pass " + masterName + " " + masterPassword + "\n")
                    + (sentinelPassword == null ? "" : "requirepass " + sentinelPassword + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RedisServer(port, false, sentinelPassword, conf.toAbsolutePath(), 0);
    }

    /** @return the TLS port (0 for none) */
    public int tlsPort() {
        return tlsPort;
    }

    /**
     * A Redis Cluster node (cluster bus on port + 10000), empty on start.
     *
     * @param port the port; port + 10000 must be free too
     * @return the node (not started)
     */
    public static RedisServer clusterNode(int port) {
        Path conf = DIR.resolve("nodes-" + port + ".conf");
        try {
            Files.createDirectories(DIR);
            Files.deleteIfExists(conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RedisServer(port, false, "--cluster-enabled", "yes", "--cluster-config-file",
                conf.toAbsolutePath().toString(), "--cluster-node-timeout", "2000");
    }

    /**
     * @return a free port whose cluster bus port (port + 10000) is free as well
     */
    public static int freeClusterPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int p = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000);
            if (isFree(p) && isFree(p + 10_000)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port pair for a cluster node");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A server that always uses the binary shipped in embedded-redis (proves the fallback works even
     * where redis-server is installed).
     *
     * @return the server (not started)
     */
    public static RedisServer shipped() {
        return new RedisServer(freePort(), true);
    }

    /** @return a free loopback port */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /** @return the URI for Lettuce */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** @return the server's pid */
    public long pid() {
        return process.pid();
    }

    /** @return which binary is used (PATH or embedded) */
    public static String binaryDescription() {
        return onPath().map(p -> p + " (PATH)").orElse("embedded-redis shipped binary");
    }

    /** Starts the server and waits until it answers PING. */
    public synchronized void start() {
        try {
            Files.createDirectories(DIR);
            killStale();
            if (tlsPort > 0 && onPath().isEmpty()) {
                throw new IllegalStateException("a TLS test needs a redis-server built with TLS on PATH (Debian's: "
                        + "apt-get install redis-server); the binary shipped in embedded-redis has no TLS");
            }
            Path bin = shipped ? extractShipped() : onPath().orElseGet(RedisServer::extractShipped);
            List<String> command = new java.util.ArrayList<>();
            if (sentinelConf != null) {
                command.addAll(List.of(bin.toString(), sentinelConf.toString(), "--sentinel", "--port",
                        String.valueOf(port), "--bind", "127.0.0.1", "--protected-mode", "no"));
            } else {
                command.addAll(List.of(bin.toString(), "--port", String.valueOf(port),
                        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"));
            }
            command.addAll(extraArgs);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(DIR.resolve("redis-" + port + ".log").toFile());
            process = pb.start();
            Files.writeString(DIR.resolve(port + ".pid"), String.valueOf(process.pid()));
            Process p = process;
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!ping()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not start on port " + port + ", see "
                            + DIR.resolve("redis-" + port + ".log").toAbsolutePath());
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the server (SIGKILL, as a crash would) and waits for it to exit. */
    public synchronized void stop() {
        Process p = process;
        if (p != null) {
            signal("CONT");
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                Files.deleteIfExists(DIR.resolve(port + ".pid"));
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /**
     * Sends a signal to the server process ({@code STOP} freezes it, {@code CONT} resumes it).
     *
     * @param name the signal name
     */
    public void signal(String name) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether the server answers PING */
    public boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            String auth = password == null ? "" : "AUTH " + password + "\r\n";
            out.write((auth + "PING\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String expected = (password == null ? "" : "+OK\r\n") + "+PONG";
            StringBuilder got = new StringBuilder();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            while (got.length() < expected.length()) {
                int n = in.read(buf);
                if (n <= 0) {
                    break;
                }
                got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            return got.toString().startsWith(expected);
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Path extractShipped() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String resource;
        if (os.contains("linux")) {
            resource = arch.contains("aarch64") || arch.contains("arm64") ? "redis-server-6.2.7-linux-arm64"
                    : "redis-server-6.2.6-v5-linux-amd64";
        } else if (os.contains("mac")) {
            resource = arch.contains("aarch64") ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        } else {
            throw new IllegalStateException("no redis-server on PATH and no shipped binary for " + os + "/" + arch);
        }
        Path target = DIR.resolve(resource);
        try (InputStream in = RedisServer.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on PATH and " + resource + " not on the test classpath");
            }
            if (!Files.isExecutable(target)) {
                Path tmp = Files.createTempFile(DIR, "redis", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                tmp.toFile().setExecutable(true);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean staleKilled;

    /** Kills servers left by an earlier, killed test JVM (once per JVM: later pid files are ours). */
    private static synchronized void killStale() throws IOException {
        if (staleKilled) {
            return;
        }
        staleKilled = true;
        try (var files = Files.list(DIR)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                try {
                    long pid = Long.parseLong(Files.readString(f).trim());
                    ProcessHandle.of(pid).filter(h -> h.info().command().map(c -> c.contains("redis")).orElse(false))
                            .ifPresent(ProcessHandle::destroyForcibly);
                } catch (NumberFormatException ignored) {
                    // not ours
                }
                Files.deleteIfExists(f);
            }
        }
    }
}
