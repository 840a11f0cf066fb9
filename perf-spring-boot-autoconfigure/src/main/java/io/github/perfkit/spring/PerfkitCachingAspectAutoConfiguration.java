package io.github.perfkit.spring;

import io.github.perfkit.cache.CacheManager;
import io.github.perfkit.spring.internal.PerfCachingAspect;
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
 * Applies Perfkit's {@code @Cached}/{@code @CacheInvalidate} to Spring beans through an aspect over Perfkit's
 * {@link CacheManager}. Needs AspectJ ({@code spring-boot-starter-aop}); switched off with
 * {@code perfkit.cache.annotations.enabled=false}; backs off when the application defines its own
 * {@code PerfCachingAspect}.
 *
 * <p>Thread-safe: a configuration class, used by Spring at startup only.
 */
@AutoConfiguration(after = PerfkitCacheAutoConfiguration.class)
@ConditionalOnClass(name = {"org.aspectj.lang.annotation.Aspect", "io.github.perfkit.cache.CacheManager"})
@ConditionalOnBean(CacheManager.class)
@ConditionalOnProperty(prefix = "perfkit.cache.annotations", name = "enabled", havingValue = "true",
        matchIfMissing = true)
@EnableAspectJAutoProxy
public class PerfkitCachingAspectAutoConfiguration {

    /** Creates the configuration; called by Spring. */
    public PerfkitCachingAspectAutoConfiguration() {
        // configuration class
    }

    /**
     * The aspect applying {@code @Cached}/{@code @CacheInvalidate}.
     *
     * @param manager Perfkit's cache manager
     * @return the aspect
     */
    @Bean
    @ConditionalOnMissingBean
    public PerfCachingAspect perfCachingAspect(CacheManager manager) {
        return new PerfCachingAspect(manager);
    }

    /**
     * Applies the interceptor to the annotated methods of every bean.
     *
     * @param interceptor the interceptor
     * @return the advisor
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean(name = "perfCachingAdvisor")
    public static Advisor perfCachingAdvisor(org.springframework.beans.factory.ObjectProvider<PerfCachingAspect> interceptor) {
        return new DefaultPointcutAdvisor(PerfCachingAspect.POINTCUT,
                (org.aopalliance.intercept.MethodInterceptor) invocation -> interceptor.getObject().invoke(invocation));
    }
}
