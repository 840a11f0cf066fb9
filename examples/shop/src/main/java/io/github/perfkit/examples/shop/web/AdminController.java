package io.github.perfkit.examples.shop.web;

import io.github.perfkit.examples.shop.problems.MemoryLeak;
import io.github.perfkit.examples.shop.problems.Problem;
import io.github.perfkit.examples.shop.problems.ProblemSwitches;
import io.github.perfkit.examples.shop.problems.ThreadLeak;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Switches the problems at run time, from loopback clients only:
 * {@code GET /admin/problems}; {@code POST /admin/problems/{name}/on} or {@code .../off}, or
 * {@code POST /admin/problems/{name}?enabled=true|false}; {@code name} may be {@code all}.
 *
 * <p>Thread-safe.
 */
@RestController
@RequestMapping("/admin/problems")
public class AdminController {

    private final ProblemSwitches switches;
    private final MemoryLeak memoryLeak;
    private final ThreadLeak threadLeak;

    /**
     * @param switches the problem switches
     * @param memoryLeak the memory leak
     * @param threadLeak the thread leak
     */
    public AdminController(ProblemSwitches switches, MemoryLeak memoryLeak, ThreadLeak threadLeak) {
        this.switches = Objects.requireNonNull(switches, "switches");
        this.memoryLeak = Objects.requireNonNull(memoryLeak, "memoryLeak");
        this.threadLeak = Objects.requireNonNull(threadLeak, "threadLeak");
    }

    /**
     * Every problem with its state, and what the leaks hold.
     *
     * @param request the request
     * @return the states
     */
    @GetMapping
    public Map<String, Object> problems(HttpServletRequest request) {
        loopbackOnly(request);
        List<Map<String, Object>> problems = new ArrayList<>();
        switches.states().forEach((p, on) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.id());
            m.put("on", on);
            m.put("description", p.description());
            problems.add(m);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("problems", problems);
        body.put("memoryLeakBytes", memoryLeak.heldBytes());
        body.put("memoryLeakCapBytes", memoryLeak.capBytes());
        body.put("leakedThreads", threadLeak.alive());
        body.put("leakedThreadsCap", ThreadLeak.CAP);
        return body;
    }

    /**
     * Switches a problem (or {@code all}) on or off.
     *
     * @param name the problem id or {@code all}
     * @param state {@code on} or {@code off}
     * @param request the request
     * @return the states after the change
     */
    @PostMapping("/{name}/{state}")
    public Map<String, Object> switchTo(@PathVariable String name, @PathVariable String state, HttpServletRequest request) {
        String s = state.toLowerCase(Locale.ROOT);
        if (!s.equals("on") && !s.equals("off")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "state: on or off, was " + state);
        }
        return set(name, s.equals("on"), request);
    }

    /**
     * Switches a problem (or {@code all}) on or off.
     *
     * @param name the problem id or {@code all}
     * @param enabled on or off
     * @param request the request
     * @return the states after the change
     */
    @PostMapping("/{name}")
    public Map<String, Object> set(@PathVariable String name, @RequestParam boolean enabled, HttpServletRequest request) {
        loopbackOnly(request);
        if (name.equalsIgnoreCase("all")) {
            for (Problem p : Problem.values()) {
                switches.set(p, enabled);
            }
        } else {
            Problem p = Problem.byId(name).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "unknown problem '" + name + "'"));
            switches.set(p, enabled);
        }
        return problems(request);
    }

    private static void loopbackOnly(HttpServletRequest request) {
        try {
            if (!InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress()) {
                throw new ResponseStatusException(HttpStatus.FORBIDDEN, "the admin endpoint answers loopback clients only");
            }
        } catch (UnknownHostException e) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "unknown client address", e);
        }
    }
}
