package io.github.perfkit.cache.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.cache.CacheConfig;
import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.cache.MultilevelCache;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingProxyTest {

    /** A value with a nested property. */
    public record User(long id, Tenant tenant) {
    }

    /** A bean-style property holder. */
    public static final class Tenant {
        private final String name;

        Tenant(String name) {
            this.name = name;
        }

        public String getName() {
            return name;
        }
    }

    /** The annotated interface. */
    public interface Users {
        @Cached(cache = "users", key = "user:#id")
        User find(long id);

        @Cached(cache = "users", key = "tenant:#0.tenant.name:#0.id")
        String describe(User u);

        @Cached(cache = "users")
        String joined(String a, int b);

        @Cached(cache = "users", key = "io:#0")
        String failing(String x) throws IOException;

        @CacheInvalidate(cache = "users", key = "user:#id")
        void update(long id);

        @CacheInvalidate(cache = "users", pattern = "tenant:#tenant:*")
        void dropTenant(String tenant);

        @CacheInvalidate(cache = "users", allEntries = true)
        void dropAll();

        default String plain() {
            return "plain";
        }
    }

    /** A counting implementation. */
    static final class Impl implements Users {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public User find(long id) {
            calls.incrementAndGet();
            return new User(id, new Tenant("t" + calls.get()));
        }

        @Override
        public String describe(User u) {
            calls.incrementAndGet();
            return u.tenant().getName() + "/" + u.id();
        }

        @Override
        public String joined(String a, int b) {
            calls.incrementAndGet();
            return a + b;
        }

        @Override
        public String failing(String x) throws IOException {
            throw new IOException("disk " + x);
        }

        @Override
        public void update(long id) {
        }

        @Override
        public void dropTenant(String tenant) {
        }

        @Override
        public void dropAll() {
        }
    }

    private final CacheManager manager = CacheManager.builder().build();
    private final MultilevelCache<Object> cache = manager.localCache("users", CacheConfig.ofDefaults());
    private final Impl impl = new Impl();
    private final Users users = CachingProxy.create(Users.class, impl, manager);

    @Test
    void cachedMethodsReadThroughAndInvalidationsApply() {
        User first = users.find(42);
        assertThat(users.find(42)).isSameAs(first);
        assertThat(impl.calls).hasValue(1);
        assertThat(cache.getIfPresent("user:42")).isSameAs(first);
        users.update(42);
        assertThat(cache.getIfPresent("user:42")).isNull();
        users.find(42);
        assertThat(impl.calls).hasValue(2);
    }

    @Test
    void keyExpressionsReadNestedPropertiesAndDefaultToAllArguments() {
        User u = new User(7, new Tenant("acme*"));
        assertThat(users.describe(u)).isEqualTo("acme*/7");
        assertThat(cache.getIfPresent("tenant:acme*:7")).isEqualTo("acme*/7");
        assertThat(users.joined("a", 1)).isEqualTo("a1");
        assertThat(cache.getIfPresent("a:1")).isEqualTo("a1");
        cache.put("tenant:acmeX:1", "other tenant");
        // The argument is glob-escaped: "acme*" matches only itself, not "acmeX".
        users.dropTenant("acme*");
        assertThat(cache.getIfPresent("tenant:acme*:7")).isNull();
        assertThat(cache.getIfPresent("tenant:acmeX:1")).isEqualTo("other tenant");
        users.dropAll();
        assertThat(cache.getIfPresent("a:1")).isNull();
        assertThat(users.plain()).isEqualTo("plain");
    }

    @Test
    void checkedExceptionsOfTheTargetPassThroughUnchanged() {
        assertThatThrownBy(() -> users.failing("x")).isInstanceOf(IOException.class).hasMessage("disk x");
        assertThat(cache.getIfPresent("io:x")).isNull();
    }

    /** Invalid declarations. */
    public interface Bad {
        @Cached(cache = "missing")
        String a();
    }

    /** Unknown parameter. */
    public interface BadKey {
        @Cached(cache = "users", key = "#nope")
        String a(String x);
    }

    /** Primitive return. */
    public interface BadReturn {
        @Cached(cache = "users")
        int a();
    }

    /** Bad ttl. */
    public interface BadTtl {
        @Cached(cache = "users", ttl = "soon")
        String a();
    }

    /** A ttl'd method. */
    public interface WithTtl {
        @Cached(cache = "users", key = "ttl", ttl = "90s")
        String a();
    }

    @Test
    void ttlAttributeIsParsedAtCreationAndUsed() {
        WithTtl p = CachingProxy.create(WithTtl.class, () -> "v", manager);
        assertThat(p.a()).isEqualTo("v");
        assertThat(cache.getIfPresent("ttl")).isEqualTo("v");
        assertThatThrownBy(() -> CachingProxy.create(BadTtl.class, () -> "x", manager))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'soon'");
    }

    @Test
    void invalidDeclarationsFailAtCreation() {
        assertThatThrownBy(() -> CachingProxy.create(Bad.class, () -> "x", manager))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'missing'");
        assertThatThrownBy(() -> CachingProxy.create(BadKey.class, x -> x, manager))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#nope");
        assertThatThrownBy(() -> CachingProxy.create(BadReturn.class, () -> 1, manager))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference type");
    }
}
