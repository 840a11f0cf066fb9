package io.github.perfkit.spring.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import org.springframework.aop.ClassFilter;

/**
 * A cheap first test for Perfkit's advisors: does a class, its superclasses or interfaces carry one of the
 * annotations on the class or on any declared method (directly or as a meta-annotation one level up)? Spring asks
 * every advisor about every bean at start-up, and its annotation pointcuts otherwise search the type hierarchy of
 * each method of each bean — tens of milliseconds on a cold JVM for a few hundred beans. Classes answered
 * {@code false} are never advised; for the others the precise annotation pointcut decides per method. The members of
 * the JDK's and Spring's own classes ({@code java.}, {@code javax.}, {@code jdk.}, {@code org.springframework.}) are
 * not scanned (their beans are infrastructure), only the interfaces they implement (a JDK proxy of an application
 * interface). Answers are cached per class without keeping any class from unloading.
 *
 * <p>Thread-safe.
 */
final class AnnotatedClassFilter implements ClassFilter {

    private final List<Class<? extends Annotation>> annotations;
    /**
     * Answers per class. A weak-keyed map rather than a {@link ClassValue}: a class value's first look-up per class
     * sets up per-class storage, which cost milliseconds over a context's few hundred bean classes at start-up. Weak
     * keys, because the advisors' pointcuts (and this filter) are static: no class is kept from unloading (a restarted
     * application's class loader, say). Spring asks while it builds proxies and advice chains, not per call: the
     * lock is uncontended.
     */
    private final Map<Class<?>, Boolean> answers = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param annotations the annotation types looked for
     */
    @SafeVarargs
    AnnotatedClassFilter(Class<? extends Annotation>... annotations) {
        this.annotations = List.of(annotations);
    }

    @Override
    public boolean matches(Class<?> type) {
        Objects.requireNonNull(type, "type");
        Boolean known = answers.get(type);
        if (known == null) {
            known = scan(type);
            answers.put(type, known);
        }
        return known;
    }

    private boolean scan(Class<?> type) {
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (scanWithInterfaces(c, seen)) {
                return true;
            }
        }
        return false;
    }

    private boolean scanWithInterfaces(Class<?> c, Set<Class<?>> seen) {
        if (!seen.add(c)) {
            return false;
        }
        // A platform class's own members are not scanned, but its interfaces are: a JDK proxy (jdk.proxy*) of an
        // application interface, e.g. a Spring Data repository, carries the annotations there.
        if (!isPlatform(c.getName())) {
            if (carries(c.getDeclaredAnnotations())) {
                return true;
            }
            try {
                for (Method m : c.getDeclaredMethods()) {
                    if (carries(m.getDeclaredAnnotations())) {
                        return true;
                    }
                }
            } catch (LinkageError e) {
                // a method signature names a class that is missing: cannot be scanned, so let the pointcut decide
                return true;
            }
        }
        for (Class<?> i : c.getInterfaces()) {
            if (scanWithInterfaces(i, seen)) {
                return true;
            }
        }
        return false;
    }

    /** The JDK's and Spring's own classes: never annotated with an application's {@code @Timed}/{@code @Cached}. */
    private static boolean isPlatform(String name) {
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("org.springframework.");
    }

    private boolean carries(Annotation[] present) {
        for (Annotation a : present) {
            Class<? extends Annotation> type = a.annotationType();
            for (Class<? extends Annotation> wanted : annotations) {
                if (type == wanted || type.isAnnotationPresent(wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AnnotatedClassFilter f && f.annotations.equals(annotations);
    }

    @Override
    public int hashCode() {
        return annotations.hashCode();
    }

    @Override
    public String toString() {
        return "AnnotatedClassFilter" + annotations;
    }
}
