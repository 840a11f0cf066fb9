package io.github.perfkit.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.config.RuleLoader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.mock.env.MockEnvironment;

/** The default alert rules are parsed in the background from the environment-prepared event, taken once. */
class DefaultRulesPreloaderTest {

    private static void prepared(MockEnvironment env) {
        new DefaultRulesPreloader().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(
                new DefaultBootstrapContext(), new SpringApplication(), new String[0], env));
    }

    @Test
    void theDefaultRulesArePreloadedAndTakenOnce() {
        DefaultRulesPreloader.take(); // nothing left over from another test
        prepared(new MockEnvironment());
        List<AlertRule> preloaded = DefaultRulesPreloader.take().orElseThrow();
        assertThat(preloaded).extracting(AlertRule::name)
                .containsExactlyElementsOf(RuleLoader.defaults().stream().map(AlertRule::name).toList());
        assertThat(DefaultRulesPreloader.take()).isEmpty();
    }

    @Test
    void nothingIsPreloadedWhenPerfkitItsAlertsOrTheDefaultRulesAreOff() {
        DefaultRulesPreloader.take();
        for (String off : new String[] {"perfkit.enabled", "perfkit.alerts.enabled", "perfkit.alerts.default-rules"}) {
            prepared(new MockEnvironment().withProperty(off, "false"));
            assertThat(DefaultRulesPreloader.take()).as(off).isEmpty();
        }
    }
}
