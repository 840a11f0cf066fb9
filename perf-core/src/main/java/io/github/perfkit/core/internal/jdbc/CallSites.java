package io.github.perfkit.core.internal.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the application frame that executed a statement: the first frame outside the JDK, drivers, frameworks
 * and Perfkit. Immutable, thread-safe.
 */
final class CallSites {

    static final String UNKNOWN = "unknown";

    private static final List<String> ALWAYS_SKIPPED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "io.github.perfkit.core.internal.",
            "io.github.perfkit.servlet.", "io.github.perfkit.spring.", "io.github.perfkit.cache.",
            "io.github.perfkit.alerts.");

    private static final String WRAPPER = "io.github.perfkit.core.jdbc.PerfDataSource";
    private static final String WRAPPER_NESTED = WRAPPER + "$";

    private final String[] skipped;
    private final StackWalker walker = StackWalker.getInstance();

    CallSites(List<String> frameworks, List<String> drivers) {
        List<String> all = new ArrayList<>(ALWAYS_SKIPPED);
        all.addAll(frameworks);
        all.addAll(drivers);
        this.skipped = all.toArray(new String[0]);
    }

    String current() {
        Optional<StackWalker.StackFrame> frame = walker.walk(s -> s.filter(f -> !skip(f.getClassName())).findFirst());
        return frame.map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
                + f.getLineNumber() + ")").orElse(UNKNOWN);
    }

    boolean skip(String className) {
        if (className.equals(WRAPPER) || className.startsWith(WRAPPER_NESTED)) {
            return true;
        }
        for (String prefix : skipped) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
