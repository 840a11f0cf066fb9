package io.github.perfkit.cache.web;

import io.github.perfkit.cache.MultilevelCache;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Session data in a {@link MultilevelCache} (shared by every node through L2; the cache's TTLs are
 * the session lifetime): unguessable ids, strict id validation so a client-supplied id can never
 * address another key, and invalidation on every node. Thread-safe.
 *
 * @param <S> the session data type (immutable values recommended: save a new value to change it)
 */
public final class SessionStore<S> {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22,128}");
    private static final String PREFIX = "session:";

    private final MultilevelCache<S> cache;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param cache where sessions live
     */
    public SessionStore(MultilevelCache<S> cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /**
     * Creates a session with a new 128-bit random id.
     *
     * @param data the initial data
     * @return the session id (URL-safe)
     */
    public String create(S data) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        cache.put(PREFIX + id, Objects.requireNonNull(data, "data"));
        return id;
    }

    /**
     * Reads a session; an id that is not well-formed is simply unknown.
     *
     * @param id the client-supplied id
     * @return the data, if the session exists
     */
    public Optional<S> find(String id) {
        return valid(id) ? Optional.ofNullable(cache.getIfPresent(PREFIX + id)) : Optional.empty();
    }

    /**
     * Replaces a session's data (and restarts its TTL).
     *
     * @param id the session id
     * @param data the new data
     * @throws IllegalArgumentException if the id is not well-formed
     */
    public void save(String id, S data) {
        cache.put(PREFIX + require(id), Objects.requireNonNull(data, "data"));
    }

    /**
     * Ends a session on every node.
     *
     * @param id the session id
     */
    public void invalidate(String id) {
        if (valid(id)) {
            cache.evict(PREFIX + id);
        }
    }

    private static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    private static String require(String id) {
        if (!valid(id)) {
            throw new IllegalArgumentException("session id must be 22-128 characters of [A-Za-z0-9_-]");
        }
        return id;
    }
}
