package io.github.perfkit.core.profiling;

import io.github.perfkit.core.internal.profiling.JfrAnalysis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a JFR recording ({@code .jfr} file, from {@link JfrProfiler} or uploaded) into a
 * {@link ProfileResult}. The file is streamed event by event, so its size does not bound memory:
 * what the result keeps is bounded by {@link #topN}, {@link #maxStacks} and {@link #maxStackDepth}.
 *
 * <pre>{@code
 * ProfileResult result = ProfileAnalyzer.ofDefaults().analyze(Path.of("app.jfr"));
 * result.hotspots().forEach(h -> System.out.println(h.frame() + " " + h.selfShare()));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param topN entries kept in each ranked list
 * @param hotspotShare self share from which a function is a hotspot, in (0, 1]
 * @param maxStacks distinct collapsed stacks kept; further stacks are summed into one entry
 * @param maxStackDepth frames kept per stack, from the top (deeper frames are cut, marked {@code …})
 */
public record ProfileAnalyzer(int topN, double hotspotShare, int maxStacks, int maxStackDepth) {

    private static final ProfileAnalyzer DEFAULTS = new ProfileAnalyzer(50, 0.05, 5_000, 64);

    /** Compact constructor: validates. */
    public ProfileAnalyzer {
        if (topN < 1 || topN > 10_000) {
            throw new IllegalArgumentException("topN must be between 1 and 10000, was " + topN);
        }
        if (!(hotspotShare > 0 && hotspotShare <= 1)) {
            throw new IllegalArgumentException("hotspotShare must be in (0, 1], was " + hotspotShare);
        }
        if (maxStacks < 1 || maxStacks > 1_000_000) {
            throw new IllegalArgumentException("maxStacks must be between 1 and 1000000, was " + maxStacks);
        }
        if (maxStackDepth < 1 || maxStackDepth > 2048) {
            throw new IllegalArgumentException("maxStackDepth must be between 1 and 2048, was " + maxStackDepth);
        }
    }

    /**
     * The defaults: top 50, hotspots from 5 %, 5 000 stacks of at most 64 frames.
     *
     * @return the default analyzer
     */
    public static ProfileAnalyzer ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Analyzes a recording file.
     *
     * @param jfrFile the recording
     * @return what it says
     * @throws IOException if the file cannot be read or is not a JFR recording
     */
    public ProfileResult analyze(Path jfrFile) throws IOException {
        Objects.requireNonNull(jfrFile, "jfrFile");
        return new JfrAnalysis(this).read(jfrFile);
    }
}
