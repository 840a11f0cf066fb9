package io.github.perfkit.examples.shop.problems;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which problems are on. Starts from the {@code shop.problems} property ({@code all}, {@code none} or a comma
 * list of ids); switched at run time by the admin endpoint. Listeners hear every change (the leaks release what
 * they hold when switched off).
 *
 * <p>Thread-safe.
 */
public final class ProblemSwitches {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemSwitches.class);

    private final Set<Problem> on = Collections.synchronizedSet(EnumSet.noneOf(Problem.class));
    private final List<Consumer<Problem>> offListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Switches on the problems named by the property value.
     *
     * @param spec {@code all}, {@code none}, or a comma-separated list of problem ids
     * @throws IllegalArgumentException naming {@code shop.problems} and the unknown id
     */
    public ProblemSwitches(String spec) {
        on.addAll(parse(spec));
        LOG.info("Shop problems on: {}", on.isEmpty() ? "none" : ids(on));
    }

    /**
     * Parses {@code all}, {@code none} or a comma list.
     *
     * @param spec the value
     * @return the problems
     * @throws IllegalArgumentException naming {@code shop.problems} and the unknown id
     */
    public static Set<Problem> parse(String spec) {
        String s = Objects.requireNonNull(spec, "spec").trim();
        if (s.equalsIgnoreCase("all")) {
            return EnumSet.allOf(Problem.class);
        }
        Set<Problem> result = EnumSet.noneOf(Problem.class);
        if (s.isEmpty() || s.equalsIgnoreCase("none")) {
            return result;
        }
        for (String id : s.split(",")) {
            result.add(Problem.byId(id).orElseThrow(() -> new IllegalArgumentException(
                    "shop.problems: unknown problem '" + id.trim() + "'; known: all, none, " + ids(EnumSet.allOf(Problem.class)))));
        }
        return result;
    }

    private static String ids(Set<Problem> problems) {
        List<String> ids = new ArrayList<>();
        problems.forEach(p -> ids.add(p.id()));
        return String.join(", ", ids);
    }

    /**
     * @param problem a problem
     * @return whether it is on
     */
    public boolean isOn(Problem problem) {
        return on.contains(problem);
    }

    /**
     * Switches a problem on or off.
     *
     * @param problem the problem
     * @param enabled on or off
     * @return whether the state changed
     */
    public boolean set(Problem problem, boolean enabled) {
        boolean changed = enabled ? on.add(problem) : on.remove(problem);
        if (changed) {
            LOG.info("Shop problem {} switched {}", problem.id(), enabled ? "ON" : "OFF");
            if (!enabled) {
                offListeners.forEach(l -> l.accept(problem));
            }
        }
        return changed;
    }

    /**
     * Calls the listener whenever a problem is switched off.
     *
     * @param listener receives the problem
     */
    public void onSwitchedOff(Consumer<Problem> listener) {
        offListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @return every problem with its state, in declaration order */
    public Map<Problem, Boolean> states() {
        Map<Problem, Boolean> states = new LinkedHashMap<>();
        Arrays.stream(Problem.values()).forEach(p -> states.put(p, on.contains(p)));
        return states;
    }
}
