package io.github.perfkit.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block in README.md and docs/*.md must be preceded by {@code <!-- snippet: name -->} and
 * show exactly the region {@code name} of the snippet sources, which compile with the build: so no
 * snippet in the documents can drift from the API.
 */
class DocsSnippetsTest {

    private static final Path ROOT = Path.of("..", "..");
    private static final Pattern REGION = Pattern.compile(
            "// tag::([a-z0-9-]+)\\[]\\R(.*?)\\R[ \\t]*// end::\\1\\[]", Pattern.DOTALL);
    private static final Pattern BLOCK = Pattern.compile(
            "(<!-- snippet: ([a-z0-9-]+) -->\\R)?```java\\R(.*?)\\R```", Pattern.DOTALL);

    @Test
    void everyJavaBlockInTheDocsIsACompiledSnippet() throws IOException {
        Map<String, String> regions = regions();
        assertThat(regions).containsKeys("quick-start", "history", "health", "profile", "diagnosis", "report");
        List<Path> documents = new ArrayList<>();
        documents.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        int checked = 0;
        for (Path doc : documents) {
            Matcher m = BLOCK.matcher(Files.readString(doc));
            while (m.find()) {
                String name = m.group(2);
                assertThat(name).as("a ```java block in %s has no <!-- snippet: name --> marker", doc).isNotNull();
                assertThat(regions).as("%s names snippet %s", doc, name).containsKey(name);
                assertThat(normalise(m.group(3))).as("snippet %s in %s", name, doc).isEqualTo(regions.get(name));
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(regions.size());
    }

    private static Map<String, String> regions() throws IOException {
        Map<String, String> out = new HashMap<>();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path p : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = REGION.matcher(Files.readString(p));
                while (m.find()) {
                    out.put(m.group(1), normalise(m.group(2)));
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
