package io.github.perfkit.spring.internal;

import java.util.Locale;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when Perfkit's request filter should run: {@code perfkit.servlet.filter=true}, or unset and
 * Actuator's {@code webMvcObservationFilter} (which records {@code http.server.requests}) is absent.
 * Thread-safe: stateless.
 */
public final class FilterCondition extends SpringBootCondition implements ConfigurationCondition {

    /** Bean name of Actuator's Spring MVC observation filter registration. */
    public static final String ACTUATOR_FILTER = "webMvcObservationFilter";

    /** Creates the condition; called by Spring. */
    public FilterCondition() {}

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String value = context.getEnvironment().getProperty("perfkit.servlet.filter");
        if (value != null && !value.isBlank()) {
            boolean on = Boolean.parseBoolean(value.trim().toLowerCase(Locale.ROOT));
            return new ConditionOutcome(on, "perfkit.servlet.filter=" + value);
        }
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        if (beans != null && beans.containsBeanDefinition(ACTUATOR_FILTER)) {
            return ConditionOutcome.noMatch("Actuator's " + ACTUATOR_FILTER
                    + " already records http.server.requests (set perfkit.servlet.filter=true to add Perfkit's)");
        }
        return ConditionOutcome.match("no Actuator request observation");
    }
}
