package io.github.perfkit.spring.internal;

import io.github.perfkit.spring.PerfkitProperties;
import io.github.perfkit.spring.PerfkitRequestMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.util.ClassUtils;

/**
 * Applied by Spring Security to every {@link HttpSecurity} it creates (listed in {@code META-INF/spring.factories}
 * as a default {@link AbstractHttpConfigurer}): when Perfkit's endpoints are present and
 * {@code perfkit.servlet.csrf-exempt} is on (the default), Spring Security's CSRF check skips POST requests under
 * the endpoints' base path, which Perfkit protects with its own CSRF check. Nothing else of the application's
 * security is changed; with CSRF disabled, or Perfkit absent, it does nothing.
 *
 * <p>Not thread-safe: Spring Security creates one per {@link HttpSecurity} and uses it while building the chain.
 */
public final class PerfkitCsrfConfigurer extends AbstractHttpConfigurer<PerfkitCsrfConfigurer, HttpSecurity> {

    private static final Logger LOG = LoggerFactory.getLogger(PerfkitCsrfConfigurer.class);
    private static final String ENDPOINTS = "io.github.perfkit.servlet.PerfEndpointsServlet";

    /** Created by Spring Security's factory loading. */
    public PerfkitCsrfConfigurer() {
        // no state
    }

    @Override
    public void init(HttpSecurity http) {
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        if (context == null || !ClassUtils.isPresent(ENDPOINTS, PerfkitCsrfConfigurer.class.getClassLoader())) {
            return;
        }
        PerfkitRequestMatcher matcher = context.getBeanProvider(PerfkitRequestMatcher.class).getIfUnique();
        PerfkitProperties properties = context.getBeanProvider(PerfkitProperties.class).getIfUnique();
        if (matcher == null || properties == null || !properties.getServlet().isCsrfExempt()) {
            return;
        }
        @SuppressWarnings("unchecked")
        CsrfConfigurer<HttpSecurity> csrf = http.getConfigurer(CsrfConfigurer.class);
        if (csrf != null) {
            csrf.ignoringRequestMatchers(matcher.posts());
            LOG.debug("Perfkit: Spring Security's CSRF check skips POST requests to Perfkit's endpoints");
        }
    }
}
