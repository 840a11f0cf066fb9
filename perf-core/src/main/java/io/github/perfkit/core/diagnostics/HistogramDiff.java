package io.github.perfkit.core.diagnostics;

import java.time.Duration;
import java.util.List;

/**
 * The change between two heap histograms: leak suspects are the classes whose bytes grew most. Immutable.
 *
 * @param between time between the two histograms
 * @param bytesDelta change of the total bytes
 * @param instancesDelta change of the total instances
 * @param suspects classes whose bytes grew, most growth first, capped
 */
public record HistogramDiff(Duration between, long bytesDelta, long instancesDelta, List<ClassDelta> suspects) {

    /** Compact constructor: defensive copy. */
    public HistogramDiff {
        suspects = List.copyOf(suspects);
    }
}
