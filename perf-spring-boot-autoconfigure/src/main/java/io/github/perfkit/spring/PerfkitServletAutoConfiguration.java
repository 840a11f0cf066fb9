package io.github.perfkit.spring;

import io.github.perfkit.core.Perf;
import io.github.perfkit.servlet.PerfEndpointsConfig;
import io.github.perfkit.servlet.PerfEndpointsServlet;
import io.github.perfkit.servlet.PerfFilter;
import io.github.perfkit.servlet.PerfFilterConfig;
import io.github.perfkit.spring.internal.FilterCondition;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Registers Perfkit's {@link PerfFilter} (URI templates from Spring MVC's best matching pattern) and its
 * {@link PerfEndpointsServlet} at {@code perfkit.servlet.base-path} (default {@code /perf}; loopback clients
 * only unless {@code perfkit.servlet.token} is set) in a servlet web application.
 *
 * <p>Actuator: when Actuator's Spring MVC observation filter ({@code webMvcObservationFilter}) already
 * records {@code http.server.requests}, Perfkit's filter is not registered, so no request is timed twice;
 * the endpoints and dashboard are still served (request-level views stay empty).
 * {@code perfkit.servlet.filter=true} registers it anyway, {@code false} never.
 *
 * <p>Spring Security: when the application has a {@code SecurityFilterChain}, the endpoints are served only
 * behind it (its rules apply first); Perfkit's own check (loopback or token) still applies after it, unless
 * {@code perfkit.servlet.access=authenticated} also admits the users it authenticated (optionally only those with
 * one of {@code perfkit.servlet.access-roles}).
 * Switched off with {@code perfkit.servlet.enabled=false}; each bean backs off when the application defines
 * its own.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.observation.web.servlet.WebMvcObservationAutoConfiguration",
        // Spring Boot 4
        "org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({PerfFilter.class, FilterRegistrationBean.class})
@ConditionalOnBean(Perf.class)
@ConditionalOnProperty(prefix = "perfkit.servlet", name = "enabled", havingValue = "true", matchIfMissing = true)
public class PerfkitServletAutoConfiguration {

    /** Request attribute in which Spring MVC stores the matched handler pattern. */
    public static final String BEST_MATCHING_PATTERN_ATTRIBUTE =
            "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

    private static final Logger LOG = LoggerFactory.getLogger(PerfkitServletAutoConfiguration.class);
    private static final String SECURITY_FILTER_CHAIN = "org.springframework.security.web.SecurityFilterChain";

    /** Creates the configuration; called by Spring. */
    public PerfkitServletAutoConfiguration() {
        // configuration class
    }

    /**
     * The request filter.
     *
     * @param perf the hub
     * @param properties Perfkit's properties
     * @return the filter
     */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(FilterCondition.class)
    public PerfFilter perfFilter(Perf perf, PerfkitProperties properties) {
        return new PerfFilter(perf, PerfFilterConfig.builder()
                .uriTemplateAttribute(BEST_MATCHING_PATTERN_ATTRIBUTE)
                .monitoringPath(properties.getServlet().getBasePath())
                .maxUriTemplates(properties.getServlet().getMaxUriTemplates())
                .cpuSamplingRate(properties.getServlet().getCpuSamplingRate())
                .profileSamplingRate(properties.getServlet().getProfileSamplingRate())
                .threadUsage(properties.getServlet().isThreadUsage())
                .build());
    }

    /**
     * Registers the filter for every request and async dispatch, early in the chain.
     *
     * @param filter the filter
     * @return the registration
     */
    @Bean
    @ConditionalOnBean(PerfFilter.class)
    @ConditionalOnMissingBean(name = "perfFilterRegistration")
    public FilterRegistrationBean<PerfFilter> perfFilterRegistration(PerfFilter filter) {
        FilterRegistrationBean<PerfFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("perfkitFilter");
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.setAsyncSupported(true);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /**
     * The endpoints and dashboard; the filter (when registered) also serves them for path variants.
     *
     * @param perf the hub
     * @param properties Perfkit's properties
     * @param filter the filter, if registered
     * @param beans the bean factory (to find a Spring Security filter chain)
     * @return the endpoints servlet
     */
    @Bean
    @ConditionalOnMissingBean
    public PerfEndpointsServlet perfEndpointsServlet(Perf perf, PerfkitProperties properties,
                                                     ObjectProvider<PerfFilter> filter, ListableBeanFactory beans) {
        PerfkitProperties.Servlet servlet = properties.getServlet();
        PerfEndpointsConfig.Builder config = PerfEndpointsConfig.builder()
                .basePath(servlet.getBasePath())
                .bearerToken(servlet.getToken())
                .publicProbes(servlet.isPublicProbes());
        servlet.getTrustedProxies().forEach(config::trustedProxy);
        if (servlet.getAccess() == PerfkitProperties.Access.AUTHENTICATED) {
            config.authorizer(authenticated(servlet.getAccessRoles()));
        }
        PerfFilter perfFilter = filter.getIfAvailable();
        PerfEndpointsServlet endpoints = new PerfEndpointsServlet(perf, config.build(), perfFilter);
        if (perfFilter != null) {
            if (springSecurityChain(beans)) {
                // The filter runs before Spring Security's: answering there would bypass the app's security
                // rules, so the endpoints are served by the servlet mapping only, behind Spring Security.
                LOG.debug("Perfkit: Spring Security filter chain present; endpoints served behind it");
            } else {
                perfFilter.serveEndpoints(endpoints);
            }
        }
        return endpoints;
    }

    /**
     * An authorizer accepting requests with a user principal (set by Spring Security or the container) and, when
     * roles are given, one of them.
     */
    static Predicate<HttpServletRequest> authenticated(List<String> roles) {
        List<String> required = List.copyOf(roles);
        return req -> {
            if (req.getUserPrincipal() == null) {
                return false;
            }
            if (required.isEmpty()) {
                return true;
            }
            for (String role : required) {
                if (req.isUserInRole(role)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Whether Spring Security is on the classpath and the application has a {@code SecurityFilterChain}. */
    static boolean springSecurityChain(ListableBeanFactory beans) {
        ClassLoader loader = PerfkitServletAutoConfiguration.class.getClassLoader();
        if (!ClassUtils.isPresent(SECURITY_FILTER_CHAIN, loader)) {
            return false;
        }
        Class<?> chain = ClassUtils.resolveClassName(SECURITY_FILTER_CHAIN, loader);
        return beans.getBeanNamesForType(chain, true, false).length > 0;
    }

    /**
     * Maps the endpoints servlet under the base path.
     *
     * @param endpoints the endpoints servlet
     * @param properties Perfkit's properties
     * @return the registration
     */
    @Bean
    @ConditionalOnMissingBean(name = "perfEndpointsRegistration")
    public ServletRegistrationBean<PerfEndpointsServlet> perfEndpointsRegistration(
            PerfEndpointsServlet endpoints, PerfkitProperties properties) {
        String base = properties.getServlet().getBasePath();
        ServletRegistrationBean<PerfEndpointsServlet> registration =
                new ServletRegistrationBean<>(endpoints, base, base + "/*");
        registration.setName("perfkitEndpoints");
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(-1);
        return registration;
    }
}
