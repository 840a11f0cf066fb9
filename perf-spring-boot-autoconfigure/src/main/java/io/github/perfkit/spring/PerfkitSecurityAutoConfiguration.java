package io.github.perfkit.spring;

import io.github.perfkit.servlet.PerfEndpointsServlet;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security cooperation: defines the {@link PerfkitRequestMatcher} bean for the application's security
 * rules. Spring Security's own rules apply to the endpoints (they are served behind its filter chain, see
 * {@link PerfkitServletAutoConfiguration}), and its CSRF check skips the endpoints' POST requests, which carry
 * Perfkit's own CSRF protection ({@code perfkit.servlet.csrf-exempt=false} keeps Spring's check on them).
 * Backs off when the application defines its own matcher.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitServletAutoConfiguration.class)
@ConditionalOnClass({SecurityFilterChain.class, PerfEndpointsServlet.class})
@ConditionalOnBean(PerfEndpointsServlet.class)
public class PerfkitSecurityAutoConfiguration {

    /** Creates the configuration; called by Spring. */
    public PerfkitSecurityAutoConfiguration() {
        // configuration class
    }

    /**
     * The request matcher of Perfkit's endpoints.
     *
     * @param endpoints the endpoints servlet
     * @return the matcher
     */
    @Bean
    @ConditionalOnMissingBean
    public PerfkitRequestMatcher perfkitRequestMatcher(PerfEndpointsServlet endpoints) {
        return new PerfkitRequestMatcher(endpoints);
    }
}
