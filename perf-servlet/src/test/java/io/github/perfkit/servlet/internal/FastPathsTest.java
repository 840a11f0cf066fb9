package io.github.perfkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free fast paths answer exactly as the general code they short-cut: {@link PlainPaths} as
 * {@link Paths#canonical(String)} followed by the same checks, and {@link UriTemplates#normalise(String)} (which returns
 * a path unchanged when nothing needs normalising) as {@link UriTemplates#build(String)}, on many random paths drawn
 * from an alphabet full of separators, dots, escapes, parameters, digits and case variants.
 */
class FastPathsTest {

    private static final String[] PIECES = {
        "/", "/", "/", "//", "\\", ".", "..", "perf", "PERF", "Perf", "api", "static", "x.css", "a.JS", "img.PNG",
        "%2F", "%70", ";x", ";jsessionid=1", "123", "42", "0f9a8b7c6d5e4f3a", "2024-01-31", "1.2.3", "user", "users",
        "é", "a b", "\t", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "abc123def", "-", "_", "~"
    };
    private static final List<String> PREFIXES = List.of("/static/", "/assets", "/perf-not");
    private static final List<String> EXTENSIONS = List.of(".css", ".js", ".png");

    @Test
    void plainPathChecksAgreeWithTheCanonicalForm() {
        Random random = new Random(42);
        int plain = 0;
        for (int i = 0; i < 200_000; i++) {
            String path = randomPath(random);
            if (!PlainPaths.isPlain(path)) {
                continue;
            }
            plain++;
            String canonical = Paths.canonical(path);
            assertThat(canonical).as(path).isEqualTo(lowerWithoutTrailingSlash(path));
            for (String base : List.of("/perf", "/", "/api/perf", "/static")) {
                assertThat(PlainPaths.below(path, 0, base)).as(path + " below " + base)
                        .isEqualTo(Paths.below(canonical, base) != null);
            }
            assertThat(PlainPaths.startsWithAny(path, PREFIXES)).as(path)
                    .isEqualTo(PREFIXES.stream().anyMatch(canonical::startsWith));
            int slash = canonical.lastIndexOf('/');
            int dot = canonical.lastIndexOf('.');
            boolean ext = dot > slash && EXTENSIONS.contains(canonical.substring(dot));
            assertThat(PlainPaths.hasExtension(path, EXTENSIONS)).as(path).isEqualTo(ext);
        }
        assertThat(plain).as("enough plain paths drawn").isGreaterThan(5_000);
    }

    @Test
    void pathsWithTricksAreNotPlain() {
        for (String path : List.of("//perf", "/perf;x/", "/x/..;/perf", "/%70erf", "/x/../perf", "/./perf", "\\perf",
                "/perf/", "", "perf", "/pérf", "/a b")) {
            boolean expected = path.equals("/perf/");
            assertThat(PlainPaths.isPlain(path)).as(path).isEqualTo(expected);
        }
    }

    @Test
    void normaliseReturnsTheSameAsTheGeneralCodeAndThePathItselfWhenUnchanged() {
        Random random = new Random(7);
        int unchanged = 0;
        for (int i = 0; i < 200_000; i++) {
            String path = randomPath(random);
            String fast = UriTemplates.normalise(path);
            assertThat(fast).as(path).isEqualTo(UriTemplates.build(path));
            if (fast == path) {
                unchanged++;
            }
        }
        assertThat(unchanged).as("the fast path was taken").isGreaterThan(1_000);
        String plain = "/users/profile";
        assertThat(UriTemplates.normalise(plain)).isSameAs(plain);
        assertThat(UriTemplates.normalise("/users/42")).isEqualTo("/users/{id}");
    }

    private static String randomPath(Random random) {
        StringBuilder b = new StringBuilder(random.nextBoolean() ? "/" : "");
        int n = random.nextInt(7);
        for (int j = 0; j < n; j++) {
            b.append(PIECES[random.nextInt(PIECES.length)]);
            if (random.nextInt(3) > 0) {
                b.append('/');
            }
        }
        return b.toString();
    }

    private static String lowerWithoutTrailingSlash(String path) {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        return lower.length() > 1 && lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
