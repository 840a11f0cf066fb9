package io.github.perfkit.cache;

/**
 * Names and tag keys of the meters published by perf-cache. All names are lowercase dotted and use
 * base units, following Micrometer conventions. Constants only; thread-safe.
 */
public final class MetricNames {

    /** Counter of reads, tags {@code cache}, {@code level} ({@code l1}/{@code l2}), {@code result} ({@code hit}/{@code miss}). */
    public static final String GETS = "perfkit.cache.gets";
    /** Timer of loader calls, tags {@code cache}, {@code result} ({@code success}/{@code failure}). */
    public static final String LOADS = "perfkit.cache.loads";
    /** Counter of explicit puts, tag {@code cache}. */
    public static final String PUTS = "perfkit.cache.puts";
    /** Counter of L1 evictions by size or expiry, tags {@code cache}, {@code cause}. */
    public static final String EVICTIONS = "perfkit.cache.evictions";
    /** Counter of invalidations, tags {@code cache}, {@code type} ({@code key}/{@code pattern}/{@code all}/{@code remote}). */
    public static final String INVALIDATIONS = "perfkit.cache.invalidations";
    /** Gauge of the number of L1 entries, tags {@code cache}, {@code level}. */
    public static final String SIZE = "perfkit.cache.size";
    /** Counter of values that could not be decoded (treated as misses and deleted), tag {@code cache}. */
    public static final String CODEC_ERRORS = "perfkit.cache.codec.errors";
    /** Counter of failed L2 operations, tag {@code type} ({@code timeout}/{@code failure}/{@code rejected}). */
    public static final String L2_ERRORS = "perfkit.cache.l2.errors";
    /** Gauge of the L2 circuit breaker: 0 closed, 1 open, 2 half-open. */
    public static final String L2_BREAKER_STATE = "perfkit.cache.l2.breaker.state";
    /** Counter of invalidation messages received, tag {@code result} ({@code applied}/{@code ignored}/{@code malformed}). */
    public static final String INVALIDATION_MESSAGES = "perfkit.cache.invalidation.messages";
    /** Counter of whole-L1 clears forced by the invalidation channel, tag {@code reason} ({@code resubscribed}/{@code malformed}). */
    public static final String L1_CLEARS = "perfkit.cache.l1.clears";

    /** Tag key naming the cache. */
    public static final String TAG_CACHE = "cache";
    /** Tag key naming the level. */
    public static final String TAG_LEVEL = "level";
    /** Tag key naming the result. */
    public static final String TAG_RESULT = "result";
    /** Tag key naming the type. */
    public static final String TAG_TYPE = "type";

    private MetricNames() {
    }
}
