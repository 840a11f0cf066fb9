package io.github.perfkit.core.jdbc;

import java.time.Instant;

/**
 * One N+1 pattern: a statement shape executed more than {@link JdbcConfig#nPlusOneThreshold()} times inside
 * one request, from one application call site. Immutable snapshot.
 *
 * @param shape the repeated statement's shape
 * @param endpoint the request's name (e.g. {@code GET /orders/{id}})
 * @param callSite the first application frame that executed it ({@code class.method(File.java:line)}),
 *     skipping JDK, driver, framework and Perfkit frames; {@code "unknown"} when every frame was skipped
 * @param maxPerRequest the most executions of the shape seen in one request
 * @param lastPerRequest executions in the most recent affected request
 * @param requests number of requests in which the threshold was crossed
 * @param firstSeen when it was first detected
 * @param lastSeen when it was last detected
 */
public record NPlusOneFinding(
        String shape,
        String endpoint,
        String callSite,
        int maxPerRequest,
        int lastPerRequest,
        long requests,
        Instant firstSeen,
        Instant lastSeen) {

    /**
     * What to do about it, stated with this finding's evidence.
     *
     * @return a one-sentence recommendation
     */
    public String recommendation() {
        return callSite + " ran \"" + shape + "\" " + maxPerRequest + " times in one " + endpoint
                + " request (seen in " + requests + (requests == 1 ? " request" : " requests")
                + "): load the rows in one statement (an IN-list, a join or a batch) before the loop instead of"
                + " once per item.";
    }
}
