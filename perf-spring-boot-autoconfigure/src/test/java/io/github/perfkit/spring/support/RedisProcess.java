package io.github.perfkit.spring.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A real redis-server on a free loopback port for tests: the one on PATH, else the binary shipped in the
 * embedded-redis test jar (never skips: no binary fails the test). Stopped by {@link #close()} and a shutdown
 * hook; a killed test JVM's server is found through its pid file in target/redis and killed on the next start.
 */
public final class RedisProcess implements AutoCloseable {

    private static final Path DIR = Path.of("target", "redis");
    private static boolean staleKilled;

    private final int port;
    private final Process process;

    private RedisProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /**
     * Starts a server and waits until it accepts connections.
     *
     * @param extraArgs extra redis-server arguments (e.g. {@code --requirepass x})
     * @return the running server
     */
    public static RedisProcess start(String... extraArgs) {
        return launch(freePort(), null, "Ready to accept connections", extraArgs);
    }

    /**
     * Starts a Redis Sentinel ({@code redis-server <conf> --sentinel}) monitoring a master on loopback (quorum 1)
     * and waits until it monitors it.
     *
     * @param master the master's name
     * @param masterPort the master's port
     * @param masterPassword the master's password, or null
     * @return the running Sentinel
     */
    public static RedisProcess sentinel(String master, int masterPort, String masterPassword) {
        int port = freePort();
        Path conf = DIR.resolve("sentinel-" + port + ".conf").toAbsolutePath();
        try {
            Files.createDirectories(DIR);
            Files.writeString(conf, "sentinel monitor " + master + " 127.0.0.1 " + masterPort + " 1\n"
                    + (masterPassword == null ? "" : "sentinel auth-pass " + master + " " + masterPassword + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return launch(port, conf, "+monitor master", "--protected-mode", "no");
    }

    /** Starts the server (Sentinel when {@code sentinelConf} is set) and waits for {@code ready} in its log. */
    private static RedisProcess launch(int port, Path sentinelConf, String ready, String... extraArgs) {
        try {
            Files.createDirectories(DIR);
            killStale();
            Path bin = onPath().orElseGet(RedisProcess::extractShipped);
            List<String> command = new ArrayList<>();
            command.add(bin.toString());
            if (sentinelConf != null) {
                command.addAll(List.of(sentinelConf.toString(), "--sentinel"));
            }
            command.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1"));
            if (sentinelConf == null) {
                command.addAll(List.of("--save", "", "--appendonly", "no"));
            }
            command.addAll(List.of(extraArgs));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(DIR.resolve("redis-" + port + ".log").toFile()).start();
            Files.writeString(DIR.resolve(port + ".pid"), String.valueOf(p.pid()));
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.readString(DIR.resolve("redis-" + port + ".log")).contains(ready)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("redis-server did not start on port " + port);
                }
                Thread.sleep(10);
            }
            return new RedisProcess(port, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the port */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
            Files.deleteIfExists(DIR.resolve(port + ".pid"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** @return a free loopback port */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
            resource = arch.contains("aarch64") ? "redis-server-6.2.6-v5-darwin-arm64"
                    : "redis-server-6.2.6-v5-darwin-amd64";
        } else {
            throw new IllegalStateException("no redis-server on PATH and no shipped binary for " + os + "/" + arch);
        }
        Path target = DIR.resolve(resource);
        try (InputStream in = RedisProcess.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on PATH and " + resource + " not on the classpath");
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
