package io.github.perfkit.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block in README.md and docs/*.md must be preceded by {@code <!-- snippet: name -->} and
 * show exactly the region {@code name} of the snippet sources (this module and examples/plain-servlet),
 * which compile with the build: so no snippet in the documents can drift from the API. Every region is
 * shown somewhere.
 */
class DocsSnippetsTest {

    private static final Path ROOT = Path.of("..", "..");
    /** This module's snippets, and the runnable examples' sources (their regions are shown as they run). */
    private static final List<Path> SOURCES = List.of(Path.of("src", "main", "java"),
            Path.of("..", "plain-servlet", "src", "main", "java"));
    private static final Pattern REGION = Pattern.compile(
            "// tag::([a-z0-9-]+)\\[]\\R(.*?)\\R[ \\t]*// end::\\1\\[]", Pattern.DOTALL);
    private static final Pattern BLOCK = Pattern.compile(
            "(<!-- snippet: ([a-z0-9-]+) -->\\R)?```java\\R(.*?)\\R```", Pattern.DOTALL);

    @Test
    void everyJavaBlockInTheDocsIsACompiledSnippet() throws IOException {
        Map<String, String> regions = regions();
        assertThat(regions).containsKeys("quick-start", "history", "health", "profile", "diagnosis", "report",
                "plain-servlet-wiring", "http-latency-buckets", "production-hub", "redis-nodes");
        List<Path> documents = new ArrayList<>();
        documents.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        Set<String> shown = new TreeSet<>();
        for (Path doc : documents) {
            Matcher m = BLOCK.matcher(Files.readString(doc));
            while (m.find()) {
                String name = m.group(2);
                assertThat(name).as("a ```java block in %s has no <!-- snippet: name --> marker", doc).isNotNull();
                assertThat(regions).as("%s names snippet %s", doc, name).containsKey(name);
                assertThat(normalise(m.group(3))).as("snippet %s in %s", name, doc).isEqualTo(regions.get(name));
                shown.add(name);
            }
        }
        assertThat(shown).as("every snippet region is shown in a document").isEqualTo(new TreeSet<>(regions.keySet()));
    }

    private static Map<String, String> regions() throws IOException {
        Map<String, String> out = new HashMap<>();
        for (Path root : SOURCES) {
            try (Stream<Path> sources = Files.walk(root)) {
                for (Path p : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = REGION.matcher(Files.readString(p));
                    while (m.find()) {
                        String previous = out.put(m.group(1), normalise(m.group(2)));
                        assertThat(previous).as("snippet %s is defined twice", m.group(1)).isNull();
                    }
                }
            }
        }
        return out;
    }

    /** Removes the common indentation and trailing blanks, so a region reads the same as its document copy. */
    static String normalise(String code) {
        List<String> lines = code.lines().map(l -> l.replaceAll("\\s+$", "")).toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return sb.toString().strip();
    }
}
