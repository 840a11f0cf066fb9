package io.github.perfkit.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runbooks and the deployment guide name meters, Spring properties and endpoint paths that readers type
 * into Prometheus, {@code application.properties} and curl: each must exist in the code, so a rename breaks
 * this test instead of the reader's night.
 */
class DocsNamesTest {

    private static final Path ROOT = Path.of("..", "..");
    private static final List<String> DOCUMENTS = List.of("docs/DEPLOYMENT.md", "docs/TROUBLESHOOTING.md",
            "docs/DASHBOARD.md");
    private static final Pattern NAME = Pattern.compile("(?<![\\w/.])(perfkit\\.[a-z0-9._-]*[a-z0-9])");
    private static final Pattern PERF_PATH = Pattern.compile("`(?:<base>|/perf)(/[a-z/.-]*)");
    /** Case labels of the routers ({@code case "/a", "/b" ->}) and the served assets ({@code "/x", new Asset(}). */
    private static final Pattern ROUTE = Pattern.compile("case ((?:\"/[a-z/.-]*\"(?:,\\s*)?)+)|\"(/[a-z/.-]+)\", new Asset\\(");
    private static final Pattern QUOTED = Pattern.compile("\"(/[a-z/.-]*)\"");

    @Test
    void everyMeterAndPropertyNameExistsInTheCode() throws IOException {
        Set<String> literals = new HashSet<>();
        Pattern literal = Pattern.compile("(perfkit\\.[a-z0-9._-]*[a-z0-9])");
        for (Path file : moduleFiles()) {
            Matcher m = literal.matcher(Files.readString(file));
            while (m.find()) {
                literals.add(m.group(1));
            }
        }
        String properties = Files.readString(ROOT.resolve(
                "perf-spring-boot-autoconfigure/src/main/java/io/github/perfkit/spring/PerfkitProperties.java"));
        Set<String> unknown = new TreeSet<>();
        int checked = 0;
        for (String doc : DOCUMENTS) {
            Matcher m = NAME.matcher(Files.readString(ROOT.resolve(doc)));
            while (m.find()) {
                String name = m.group(1);
                checked++;
                if (!literals.contains(name) && !isSpringProperty(name, properties)) {
                    unknown.add(doc + ": " + name);
                }
            }
        }
        assertThat(checked).isGreaterThan(40);
        assertThat(unknown).as("names in the docs that no module defines").isEmpty();
    }

    @Test
    void everyEndpointPathIsRouted() throws IOException {
        Set<String> routes = new HashSet<>(Set.of("/", "/index.html"));
        for (String source : List.of("PerfEndpointsServlet.java", "internal/DiagnosticsEndpoints.java",
                "internal/Assets.java")) {
            String code = Files.readString(ROOT.resolve("perf-servlet/src/main/java/io/github/perfkit/servlet/" + source));
            Matcher r = ROUTE.matcher(code);
            while (r.find()) {
                if (r.group(2) != null) {
                    routes.add(r.group(2));
                } else {
                    Matcher q = QUOTED.matcher(r.group(1));
                    while (q.find()) {
                        routes.add(q.group(1));
                    }
                }
            }
        }
        assertThat(routes).contains("/metrics", "/api/sections", "/api/jdbc", "/api/profiling/recordings",
                "/profiling.html");
        Set<String> unknown = new TreeSet<>();
        for (String doc : DOCUMENTS) {
            Matcher m = PERF_PATH.matcher(Files.readString(ROOT.resolve(doc)));
            while (m.find()) {
                String path = m.group(1);
                if (path.startsWith("/api/sections/")) {
                    continue;   // section actions: documented as planned (POST), see DEPLOYMENT.md
                }
                if (!path.isEmpty() && !routes.contains(path) && !(path.endsWith("/") && routes.contains("/"))) {
                    unknown.add(doc + ": " + path);
                }
            }
        }
        assertThat(unknown).as("endpoint paths in the docs that PerfEndpointsServlet does not route").isEmpty();
    }

    /** {@code perfkit.servlet.trusted-proxies}: nested class {@code Servlet} with a field {@code trustedProxies}. */
    private static boolean isSpringProperty(String name, String propertiesSource) {
        String[] parts = name.split("\\.");
        String field = camel(parts[parts.length - 1]);
        if (parts.length == 2) {
            return propertiesSource.contains(" " + field + " =") || propertiesSource.contains(" " + field + ";");
        }
        String owner = camel(parts[parts.length - 2]);
        String className = Character.toUpperCase(owner.charAt(0)) + owner.substring(1);
        int start = propertiesSource.indexOf("public static class " + className + " ");
        if (start < 0) {
            return false;
        }
        int end = propertiesSource.indexOf("public static class ", start + 1);
        String body = propertiesSource.substring(start, end < 0 ? propertiesSource.length() : end);
        return Pattern.compile("private [^;=]*\\b" + field + "\\b\\s*[=;]").matcher(body).find();
    }

    private static String camel(String kebab) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    private static List<Path> moduleFiles() throws IOException {
        List<Path> out = new java.util.ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(p -> p.getFileName().toString().startsWith("perf-")).toList()) {
                Path main = module.resolve("src").resolve("main");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> files = Files.walk(main)) {
                        files.filter(Files::isRegularFile).forEach(out::add);
                    }
                }
            }
        }
        return out;
    }
}
