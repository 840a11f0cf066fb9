package io.github.perfkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PathCacheTest {

    private final PathCache cache = new PathCache();

    @Test
    void returnsWhatWasPutForTheSamePathOnly() {
        PathCache.Entry e = new PathCache.Entry("/users/42", false, "/users/{id}");
        cache.put(e);
        assertThat(cache.get(new String("/users/42".toCharArray()))).isSameAs(e);
        assertThat(cache.get("/users/43")).isNull();
    }

    @Test
    void longPathsAreNotCached() {
        String longPath = "/" + "a".repeat(PathCache.MAX_PATH);
        cache.put(new PathCache.Entry(longPath, false, "/x"));
        assertThat(cache.get(longPath)).isNull();
    }

    @Test
    void aScanOfManyPathsKeepsAtMostSizeEntriesAndNeverAnswersForAnotherPath() {
        for (int i = 0; i < 100_000; i++) {
            String p = "/scan/" + i;
            cache.put(new PathCache.Entry(p, false, "/scan/{id}"));
        }
        Set<String> hits = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String p = "/scan/" + i;
            PathCache.Entry e = cache.get(p);
            if (e != null) {
                assertThat(e.path()).isEqualTo(p);
                hits.add(p);
            }
        }
        assertThat(hits.size()).isBetween(1, PathCache.SIZE);
    }
}
