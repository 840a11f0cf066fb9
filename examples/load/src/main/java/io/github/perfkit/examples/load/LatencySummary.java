package io.github.perfkit.examples.load;

import java.util.Map;
import java.util.Objects;

/**
 * Counts and latency percentiles of a set of requests (one target, or all of them).
 *
 * <p>Latency is measured from the moment the request was due (open model: its slot in the schedule, so a server
 * that falls behind is charged for the wait — no coordinated omission) or sent (closed loop) until the response
 * body was read. Failed requests (no response) are counted in {@code errors} and not in the latencies.
 *
 * <p>Immutable and thread-safe.
 *
 * @param requests requests that got a response
 * @param errors requests that got no response (connection refused, timeout, I/O error)
 * @param statusClasses responses by class: {@code "2xx"}, {@code "3xx"}, {@code "4xx"}, {@code "5xx"},
 *                      {@code "other"}; classes without a response are absent
 * @param meanMicros mean latency in microseconds
 * @param p50Micros median latency in microseconds
 * @param p95Micros 95th percentile in microseconds
 * @param p99Micros 99th percentile in microseconds
 * @param maxMicros the largest latency in microseconds
 */
public record LatencySummary(long requests, long errors, Map<String, Long> statusClasses, double meanMicros,
                             long p50Micros, long p95Micros, long p99Micros, long maxMicros) {

    /**
     * Copies the status map.
     *
     * @param requests requests that got a response
     * @param errors requests without a response
     * @param statusClasses responses by class
     * @param meanMicros mean latency
     * @param p50Micros median latency
     * @param p95Micros 95th percentile
     * @param p99Micros 99th percentile
     * @param maxMicros largest latency
     */
    public LatencySummary {
        statusClasses = Map.copyOf(Objects.requireNonNull(statusClasses, "statusClasses"));
    }

    /**
     * Responses of one class.
     *
     * @param statusClass {@code "2xx"} ... {@code "5xx"} or {@code "other"}
     * @return the count, 0 when none
     */
    public long status(String statusClass) {
        return statusClasses.getOrDefault(Objects.requireNonNull(statusClass, "statusClass"), 0L);
    }

    /** @return responses with a 4xx or 5xx status plus requests without a response */
    public long failures() {
        return status("4xx") + status("5xx") + errors;
    }
}
