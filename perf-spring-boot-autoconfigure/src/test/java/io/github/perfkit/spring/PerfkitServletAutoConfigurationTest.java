package io.github.perfkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Perf;
import io.github.perfkit.servlet.PerfEndpointsServlet;
import io.github.perfkit.servlet.PerfFilter;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/** Conditions and back-off of the servlet part. */
class PerfkitServletAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PerfkitAutoConfiguration.class,
                    PerfkitServletAutoConfiguration.class))
            .withPropertyValues("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false");

    @Test
    void registersFilterAndEndpointsAtTheDefaultBasePath() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(PerfFilter.class).hasSingleBean(PerfEndpointsServlet.class);
            FilterRegistrationBean<?> filter = context.getBean("perfFilterRegistration", FilterRegistrationBean.class);
            assertThat(filter.getFilter()).isSameAs(context.getBean(PerfFilter.class));
            assertThat(filter.getUrlPatterns()).containsExactly("/*");
            ServletRegistrationBean<?> servlet =
                    context.getBean("perfEndpointsRegistration", ServletRegistrationBean.class);
            assertThat(servlet.getUrlMappings()).containsExactlyInAnyOrder("/perf", "/perf/*");
            assertThat(context.getBean(PerfFilter.class).config().uriTemplateAttribute())
                    .isEqualTo(PerfkitServletAutoConfiguration.BEST_MATCHING_PATTERN_ATTRIBUTE);
        });
    }

    @Test
    void basePathAndTokenComeFromProperties() {
        runner.withPropertyValues("perfkit.servlet.base-path=/ops/perf", "perfkit.servlet.token=0123456789abcdef0")
                .run(context -> {
                    ServletRegistrationBean<?> servlet =
                            context.getBean("perfEndpointsRegistration", ServletRegistrationBean.class);
                    assertThat(servlet.getUrlMappings()).contains("/ops/perf/*");
                    assertThat(context.getBean(PerfFilter.class).config().monitoringPath()).isEqualTo("/ops/perf");
                });
    }

    @Test
    void theUriTemplateCapComesFromPropertiesAndIsBounded() {
        runner.run(context -> assertThat(context.getBean(PerfFilter.class).config().maxUriTemplates())
                .isEqualTo(io.github.perfkit.servlet.PerfFilterConfig.DEFAULT_MAX_URI_TEMPLATES));
        runner.withPropertyValues("perfkit.servlet.max-uri-templates=20000").run(context ->
                assertThat(context.getBean(PerfFilter.class).config().maxUriTemplates()).isEqualTo(20000));
        for (String bad : new String[] {"0", "100001"}) {
            runner.withPropertyValues("perfkit.servlet.max-uri-templates=" + bad).run(context -> {
                assertThat(context).hasFailed();
                assertThat(PerfkitAutoConfigurationTest.messages(context.getStartupFailure()))
                        .contains("perfkit.servlet.max-uri-templates");
            });
        }
    }

    @Test
    void theFiltersSamplingAndThreadUsageComeFromProperties() {
        runner.run(context -> {
            io.github.perfkit.servlet.PerfFilterConfig config = context.getBean(PerfFilter.class).config();
            assertThat(config.profileSamplingRate()).isEqualTo(1.0);
            assertThat(config.threadUsage()).isTrue();
            assertThat(config.cpuSamplingRate()).isEqualTo(
                    io.github.perfkit.servlet.PerfFilterConfig.DEFAULT_CPU_SAMPLING_RATE);
        });
        runner.withPropertyValues("perfkit.servlet.profile-sampling-rate=0", "perfkit.servlet.thread-usage=false",
                "perfkit.servlet.cpu-sampling-rate=0.5").run(context -> {
                    io.github.perfkit.servlet.PerfFilterConfig config = context.getBean(PerfFilter.class).config();
                    assertThat(config.profileSamplingRate()).isZero();
                    assertThat(config.threadUsage()).isFalse();
                    assertThat(config.cpuSamplingRate()).isEqualTo(0.5);
                });
        for (String property : new String[] {"profile-sampling-rate", "cpu-sampling-rate"}) {
            runner.withPropertyValues("perfkit.servlet." + property + "=1.5").run(context -> {
                assertThat(context).hasFailed();
                assertThat(PerfkitAutoConfigurationTest.messages(context.getStartupFailure()))
                        .contains("perfkit.servlet." + property);
            });
        }
    }

    @Test
    void wrongBasePathOrShortTokenFailStartupNamingTheProperty() {
        runner.withPropertyValues("perfkit.servlet.base-path=perf").run(context -> {
            assertThat(context).hasFailed();
            assertThat(PerfkitAutoConfigurationTest.messages(context.getStartupFailure()))
                    .contains("perfkit.servlet.base-path");
        });
        runner.withPropertyValues("perfkit.servlet.token=short").run(context -> {
            assertThat(context).hasFailed();
            assertThat(PerfkitAutoConfigurationTest.messages(context.getStartupFailure()))
                    .contains("perfkit.servlet.token");
        });
    }

    @Test
    void switchedOff() {
        runner.withPropertyValues("perfkit.servlet.enabled=false").run(context -> assertThat(context)
                .hasSingleBean(Perf.class).doesNotHaveBean(PerfFilter.class).doesNotHaveBean(PerfEndpointsServlet.class)
                .doesNotHaveBean("perfFilterRegistration").doesNotHaveBean("perfEndpointsRegistration"));
    }

    @Test
    void userFilterAndServletWin() {
        runner.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context).hasSingleBean(PerfFilter.class).hasSingleBean(PerfEndpointsServlet.class);
            assertThat(context.getBean(PerfFilter.class)).isSameAs(context.getBean("myFilter"));
            assertThat(context.getBean(PerfEndpointsServlet.class)).isSameAs(context.getBean("myEndpoints"));
        });
    }

    @Test
    void actuatorsObservationFilterMeansNoSecondRequestTimer() {
        runner.withUserConfiguration(FakeActuatorFilter.class).run(context -> assertThat(context)
                .doesNotHaveBean(PerfFilter.class).doesNotHaveBean("perfFilterRegistration")
                .hasSingleBean(PerfEndpointsServlet.class));
        runner.withUserConfiguration(FakeActuatorFilter.class).withPropertyValues("perfkit.servlet.filter=true")
                .run(context -> assertThat(context).hasSingleBean(PerfFilter.class));
        runner.withPropertyValues("perfkit.servlet.filter=false")
                .run(context -> assertThat(context).doesNotHaveBean(PerfFilter.class)
                        .hasSingleBean(PerfEndpointsServlet.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {
        @Bean
        PerfFilter myFilter(Perf perf) {
            return new PerfFilter(perf);
        }

        @Bean
        PerfEndpointsServlet myEndpoints(Perf perf) {
            return new PerfEndpointsServlet(perf, io.github.perfkit.servlet.PerfEndpointsConfig.ofDefaults());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FakeActuatorFilter {
        @Bean
        FilterRegistrationBean<Filter> webMvcObservationFilter() {
            return new FilterRegistrationBean<>(new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(jakarta.servlet.http.HttpServletRequest request,
                                                jakarta.servlet.http.HttpServletResponse response,
                                                jakarta.servlet.FilterChain chain)
                        throws jakarta.servlet.ServletException, java.io.IOException {
                    chain.doFilter(request, response);
                }
            });
        }
    }
}
