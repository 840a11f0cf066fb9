package io.github.perfkit.cache.internal;

import io.github.perfkit.cache.MetricNames;
import io.github.perfkit.cache.spi.RemoteTier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation channel between nodes. Messages are text {@code v1|<node>|<cache>|<kind>|<arg>};
 * a node ignores its own. Anything that does not parse — gadget JSON, a Java serialization blob —
 * clears every L1 of this node (we cannot know which entries it meant) and is counted. After a
 * (re)subscription every L1 is cleared too, because messages may have been missed. Thread-safe.
 */
public final class InvalidationBus implements RemoteTier.Subscriber {

    /** Kind: one key. */
    public static final String KEY = "K";
    /** Kind: a glob pattern. */
    public static final String PATTERN = "P";
    /** Kind: the whole cache. */
    public static final String ALL = "A";

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationBus.class);
    private static final String VERSION = "v1";
    private static final int MAX_MESSAGE_LENGTH = 8192;

    private final String channel;
    private final String nodeId;
    private final @Nullable RemoteGuard remote;
    private final Map<String, DefaultMultilevelCache<?>> caches = new ConcurrentHashMap<>();
    private final Counter applied;
    private final Counter ignored;
    private final Counter malformed;
    private final Counter clearedResubscribed;
    private final Counter clearedMalformed;
    private final RateLimitedLog log = new RateLimitedLog(LOG);

    /**
     * @param channel the channel name
     * @param nodeId this node's id
     * @param remote the remote tier, or null when L1-only
     * @param registry where to count messages
     */
    public InvalidationBus(String channel, String nodeId, @Nullable RemoteGuard remote, MeterRegistry registry) {
        this.channel = channel;
        this.nodeId = nodeId;
        this.remote = remote;
        this.applied = messages(registry, "applied");
        this.ignored = messages(registry, "ignored");
        this.malformed = messages(registry, "malformed");
        this.clearedResubscribed = Counter.builder(MetricNames.L1_CLEARS).tag("reason", "resubscribed").register(registry);
        this.clearedMalformed = Counter.builder(MetricNames.L1_CLEARS).tag("reason", "malformed").register(registry);
    }

    private static Counter messages(MeterRegistry registry, String result) {
        return Counter.builder(MetricNames.INVALIDATION_MESSAGES).tag(MetricNames.TAG_RESULT, result).register(registry);
    }

    /** @return the channel name */
    public String channel() {
        return channel;
    }

    /**
     * @param cache a cache receiving this node's invalidations
     */
    public void register(DefaultMultilevelCache<?> cache) {
        caches.put(cache.name(), cache);
    }

    /**
     * Tells the other nodes; a failure is counted by the guard (they converge by the degraded TTL).
     *
     * @param cache cache name
     * @param kind kind
     * @param arg key or pattern
     */
    void publish(String cache, String kind, String arg) {
        if (remote != null) {
            remote.publish(channel, VERSION + "|" + nodeId + "|" + cache + "|" + kind + "|" + arg);
        }
    }

    @Override
    public void onMessage(String message) {
        try {
            String[] parts = message.length() > MAX_MESSAGE_LENGTH ? new String[0] : message.split("\\|", 5);
            if (parts.length != 5 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("not a v1 invalidation message");
            }
            if (nodeId.equals(parts[1])) {
                ignored.increment();
                return;
            }
            DefaultMultilevelCache<?> cache = caches.get(parts[2]);
            if (cache == null) {
                ignored.increment();
                return;
            }
            cache.applyRemote(parts[3], parts[4]);
            applied.increment();
        } catch (IllegalArgumentException e) {
            caches.values().forEach(DefaultMultilevelCache::clearLocal);
            malformed.increment();
            clearedMalformed.increment();
            log.warn("malformed message on " + channel + "; cleared every L1 of this node to stay safe", e);
        }
    }

    @Override
    public void onSubscribed() {
        caches.values().forEach(DefaultMultilevelCache::clearLocal);
        // Counted after the clear: whoever sees the count may rely on L1 being cleared.
        clearedResubscribed.increment();
        LOG.info("subscribed to {}; cleared L1 because invalidations may have been missed", channel);
    }
}
