package io.github.perfkit.spring;

import io.github.perfkit.servlet.PerfEndpointsServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * A Spring Security {@link RequestMatcher} for Perfkit's endpoints and dashboard: matches every request whose
 * canonical path lies under {@code perfkit.servlet.base-path} (case and percent-encoding variants included, the
 * same test the endpoints use). Defined as a bean when Spring Security is on the classpath, so an application
 * writes its rules for Perfkit without repeating the base path:
 *
 * <pre>
 * &#64;Bean
 * SecurityFilterChain app(HttpSecurity http, PerfkitRequestMatcher perfkit) throws Exception {
 *     return http.authorizeHttpRequests(a -&gt; a.requestMatchers(perfkit).hasRole("OPS")
 *                                               .anyRequest().authenticated())
 *                .httpBasic(Customizer.withDefaults()).build();
 * }
 * </pre>
 *
 * <p>Thread-safe (immutable; the endpoints' path test is thread-safe).
 */
public final class PerfkitRequestMatcher implements RequestMatcher {

    private final PerfEndpointsServlet endpoints;
    private final RequestMatcher posts;

    /**
     * A matcher for the given endpoints.
     *
     * @param endpoints Perfkit's endpoints servlet
     */
    public PerfkitRequestMatcher(PerfEndpointsServlet endpoints) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.posts = req -> "POST".equals(req.getMethod()) && matches(req);
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        return endpoints.handles(request);
    }

    /**
     * Only the POST requests to the endpoints (Perfkit's state-changing actions, which carry their own CSRF
     * protection): what Spring Security's CSRF check may skip.
     *
     * @return a matcher of POST requests under the base path
     */
    public RequestMatcher posts() {
        return posts;
    }

    @Override
    public String toString() {
        return "PerfkitRequestMatcher";
    }
}
