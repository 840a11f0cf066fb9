package io.github.perfkit.examples.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void parsesWeightMethodAndUrl() {
        assertThat(Target.parse("http://h/a")).isEqualTo(new Target("GET", "http://h/a", 1));
        assertThat(Target.parse("3*http://h/a")).isEqualTo(new Target("GET", "http://h/a", 3));
        assertThat(Target.parse("post http://h/a")).isEqualTo(new Target("POST", "http://h/a", 1));
        assertThat(Target.parse("2*DELETE https://h:8443/a/{1..9}")).isEqualTo(new Target("DELETE", "https://h:8443/a/{1..9}", 2));
        assertThat(Target.parse("2*DELETE https://h:8443/a/{1..9}").toString()).isEqualTo("2*DELETE https://h:8443/a/{1..9}");
    }

    @Test
    void rangesBecomeRandomValuesWithinBounds() {
        Target t = Target.get("http://h/products/{3..7}/reviews/{10..10}");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            URI uri = t.next();
            assertThat(uri.getPath()).matches("/products/[3-7]/reviews/10");
            seen.add(uri.getPath());
        }
        assertThat(seen).hasSize(5);
        assertThat(Target.get("http://h/plain").next()).isEqualTo(URI.create("http://h/plain"));
    }

    @Test
    void rejectsMalformedTargets() {
        assertThatThrownBy(() -> Target.parse("0*http://h/a")).hasMessageStartingWith("weight");
        assertThatThrownBy(() -> Target.parse("ftp://h/a")).hasMessageStartingWith("template");
        assertThatThrownBy(() -> Target.parse("/relative")).hasMessageStartingWith("template");
        assertThatThrownBy(() -> Target.get("http://h/{9..1}")).hasMessageStartingWith("template");
        assertThatThrownBy(() -> Target.parse("GET http://h/a extra")).hasMessageStartingWith("url");
    }

    @Test
    void commandLineOptionsAreParsed() {
        assertThat(LoadMain.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LoadMain.duration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(LoadMain.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(LoadMain.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(LoadMain.parse(new String[] {"--url", "http://h/a", "--concurrency=3", "--rate", "50",
                "--duration", "0", "--progress", "1s", "--timeout", "2s"})).isNotNull();
        assertThat(LoadMain.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> LoadMain.parse(new String[] {"--duration", "1d", "--url", "http://h/a"}))
                .hasMessageStartingWith("--duration 1d");
        assertThatThrownBy(() -> LoadMain.parse(new String[] {"--concurrency", "2"})).hasMessageStartingWith("--url");
        assertThatThrownBy(() -> LoadMain.parse(new String[] {"--url", "http://h/a", "--bogus", "1"}))
                .hasMessageContaining("unknown option");
        assertThatThrownBy(() -> LoadMain.parse(new String[] {"--url", "http://h/a", "--concurrency", "0"}))
                .hasMessageStartingWith("concurrency");
    }
}
