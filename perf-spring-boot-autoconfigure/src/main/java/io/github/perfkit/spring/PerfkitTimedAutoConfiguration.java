package io.github.perfkit.spring;

import io.github.perfkit.core.Perf;
import io.github.perfkit.spring.internal.PerfTimedAspect;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

/**
 * Records methods annotated with Micrometer's {@code @Timed} (on the method or its class) into Perfkit's
 * tracker, so they appear in {@code /perf/api/operations} and nest under the request in profile trees; the
 * application declares no {@code TimedAspect}. Needs AspectJ ({@code spring-boot-starter-aop}) on the
 * classpath. Switched off with {@code perfkit.timed.enabled=false}; backs off when the application defines
 * its own {@code PerfTimedAspect} bean.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitAutoConfiguration.class)
@ConditionalOnClass(name = {"org.aspectj.lang.annotation.Aspect", "io.micrometer.core.annotation.Timed"})
@ConditionalOnBean(Perf.class)
@ConditionalOnProperty(prefix = "perfkit.timed", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableAspectJAutoProxy
public class PerfkitTimedAutoConfiguration {

    /** Creates the configuration; called by Spring. */
    public PerfkitTimedAutoConfiguration() {
        // configuration class
    }

    /**
     * The aspect recording {@code @Timed} methods.
     *
     * @param perf the hub
     * @return the aspect
     */
    @Bean
    @ConditionalOnMissingBean
    public PerfTimedAspect perfTimedAspect(Perf perf) {
        return new PerfTimedAspect(perf);
    }

    /**
     * Applies the interceptor to the annotated methods of every bean.
     *
     * @param interceptor the interceptor
     * @return the advisor
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean(name = "perfTimedAdvisor")
    public static Advisor perfTimedAdvisor(org.springframework.beans.factory.ObjectProvider<PerfTimedAspect> interceptor) {
        return new DefaultPointcutAdvisor(PerfTimedAspect.POINTCUT,
                (org.aopalliance.intercept.MethodInterceptor) invocation -> interceptor.getObject().invoke(invocation));
    }
}
