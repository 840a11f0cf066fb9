package io.github.perfkit.core.diagnostics;

/**
 * How one class changed between two histograms. Immutable.
 *
 * @param className the class name
 * @param instancesBefore instances in the first histogram (0 when absent from it)
 * @param instancesAfter instances in the second histogram (0 when absent from it)
 * @param bytesBefore bytes in the first histogram
 * @param bytesAfter bytes in the second histogram
 */
public record ClassDelta(String className, long instancesBefore, long instancesAfter, long bytesBefore,
        long bytesAfter) {

    /**
     * Growth in instances.
     *
     * @return after minus before
     */
    public long instancesDelta() {
        return instancesAfter - instancesBefore;
    }

    /**
     * Growth in bytes.
     *
     * @return after minus before
     */
    public long bytesDelta() {
        return bytesAfter - bytesBefore;
    }
}
