package io.github.perfkit.core.diagnostics;

/**
 * One class in a {@link HeapHistogram}. Immutable.
 *
 * @param className the class name as the JVM prints it (arrays as {@code [B}, {@code [Ljava.lang.String;})
 * @param module the module the class belongs to (e.g. {@code java.base@17.0.15}), empty when unnamed
 * @param instances live instances
 * @param bytes shallow bytes of those instances
 */
public record ClassEntry(String className, String module, long instances, long bytes) {}
