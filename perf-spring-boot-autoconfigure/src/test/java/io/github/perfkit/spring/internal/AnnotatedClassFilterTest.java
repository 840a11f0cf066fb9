package io.github.perfkit.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.cache.annotation.CacheInvalidate;
import io.github.perfkit.cache.annotation.Cached;
import io.micrometer.core.annotation.Timed;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;

/** The cached class pre-check in front of Perfkit's advisors finds the annotations wherever Spring's pointcut would. */
class AnnotatedClassFilterTest {

    interface Api {
        @Timed
        void call();
    }

    static class ViaInterface implements Api {
        @Override
        public void call() {}
    }

    static class OnMethod {
        @Timed("x")
        public void work() {}
    }

    static class Subclass extends OnMethod {}

    @Timed
    static class OnClass {
        public void work() {}
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Timed
    @interface MyTimed {}

    static class MetaAnnotated {
        @MyTimed
        public void work() {}
    }

    static class Plain {
        @Deprecated
        public void work() {}
    }

    static class Invalidating {
        @CacheInvalidate(cache = "c", pattern = "k:*")
        public void evict() {}
    }

    /** Loaded again by a throwaway class loader in {@link #keepsNoClassFromUnloading()}: refers to JDK types only. */
    public static class Unloadable {
        public void work() {}
    }

    @Test
    void keepsNoClassFromUnloading() throws Exception {
        // The advisors' pointcuts are static, so their filter outlives application contexts: a class it answered for
        // must stay collectable (a restarted application's class loader, say).
        AnnotatedClassFilter timed = new AnnotatedClassFilter(Timed.class);
        URL classes = Unloadable.class.getProtectionDomain().getCodeSource().getLocation();
        URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
        Class<?> type = loader.loadClass(Unloadable.class.getName());
        assertThat(type).isNotSameAs(Unloadable.class);
        assertThat(timed.matches(type)).isFalse();
        assertThat(timed.matches(type)).isFalse(); // answered from the cache
        WeakReference<Class<?>> ref = new WeakReference<>(type);
        type = null;
        loader.close();
        loader = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(ref.get()).as("the class is unloaded although the filter answered for it").isNull();
        assertThat(timed.matches(Plain.class)).isFalse();
    }

    @Test
    void findsTheAnnotationWhereverSpringWould() {
        AnnotatedClassFilter timed = new AnnotatedClassFilter(Timed.class);
        assertThat(timed.matches(ViaInterface.class)).isTrue();
        assertThat(timed.matches(OnMethod.class)).isTrue();
        assertThat(timed.matches(Subclass.class)).isTrue();
        assertThat(timed.matches(OnClass.class)).isTrue();
        assertThat(timed.matches(MetaAnnotated.class)).isTrue();
        assertThat(timed.matches(Plain.class)).isFalse();
        assertThat(timed.matches(String.class)).isFalse();
        assertThat(timed.matches(Invalidating.class)).isFalse();
        // a JDK proxy of an application interface (e.g. a Spring Data repository) is found through the interface
        Object proxy = java.lang.reflect.Proxy.newProxyInstance(Api.class.getClassLoader(), new Class<?>[] {Api.class},
                (p, m, args) -> null);
        assertThat(java.lang.reflect.Proxy.isProxyClass(proxy.getClass())).isTrue();
        assertThat(timed.matches(proxy.getClass())).isTrue();
        assertThat(timed.matches(org.springframework.core.io.DefaultResourceLoader.class)).isFalse();

        AnnotatedClassFilter caching = new AnnotatedClassFilter(Cached.class, CacheInvalidate.class);
        assertThat(caching.matches(Invalidating.class)).isTrue();
        assertThat(caching.matches(OnMethod.class)).isFalse();
    }

    @Test
    void pointcutsStillMatchPerMethod() throws Exception {
        Method work = OnMethod.class.getMethod("work");
        assertThat(AopUtils.canApply(PerfTimedAspect.POINTCUT, OnMethod.class)).isTrue();
        assertThat(PerfTimedAspect.POINTCUT.getMethodMatcher().matches(work, OnMethod.class)).isTrue();
        assertThat(AopUtils.canApply(PerfTimedAspect.POINTCUT, ViaInterface.class)).isTrue();
        assertThat(AopUtils.canApply(PerfTimedAspect.POINTCUT, Plain.class)).isFalse();
        assertThat(AopUtils.canApply(PerfCachingAspect.POINTCUT, Invalidating.class)).isTrue();
        assertThat(AopUtils.canApply(PerfCachingAspect.POINTCUT, Plain.class)).isFalse();
    }
}
