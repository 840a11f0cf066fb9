package io.github.perfkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.core.Perf;
import io.github.perfkit.spring.internal.DeferredAlertEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** Alert rules and notifiers from {@code perfkit.alerts.*}: file, inline rules, findings, webhook, wrong values. */
@ExtendWith(OutputCaptureExtension.class)
class AlertsAutoConfigurationTest {

    private static final String SECRET = "Sup3r-Secret-Pa55word";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PerfkitAutoConfiguration.class,
                    PerfkitAlertsAutoConfiguration.class))
            .withPropertyValues("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false");

    private static List<String> names(AlertEngine engine) {
        return engine.rules().stream().map(AlertRule::name).toList();
    }

    @Test
    void rulesFromTheDefaultsTheFileAndInlineProperties() {
        runner.withPropertyValues("perfkit.alerts.rules-file=classpath:alerts-test.yaml",
                        "perfkit.alerts.rules[0].name=threads-high",
                        "perfkit.alerts.rules[0].metric=perfkit.jvm.threads.live",
                        "perfkit.alerts.rules[0].comparison=>=",
                        "perfkit.alerts.rules[0].threshold=5000",
                        "perfkit.alerts.rules[0].for-duration=1m",
                        "perfkit.alerts.rules[0].level=high",
                        "perfkit.alerts.rules[1].name=cpu-critical",
                        "perfkit.alerts.rules[1].enabled=false")
                .run(context -> {
                    List<String> names = names(context.getBean(AlertEngine.class));
                    assertThat(names).contains("file-heap-rule", "threads-high", "memory-warning")
                            .doesNotContain("cpu-warning", "cpu-critical", PerfkitAlertsAutoConfiguration.FINDINGS_RULE);
                });
        runner.withPropertyValues("perfkit.alerts.default-rules=false",
                        "perfkit.alerts.rules-file=classpath:alerts-test.yaml")
                .run(context -> assertThat(names(context.getBean(AlertEngine.class)))
                        .containsExactly("file-heap-rule"));
    }

    @Test
    void withNothingConfiguredTheEngineIsBuiltOnFirstUseNotAtStartup() {
        runner.run(context -> {
            AlertEngine engine = context.getBean(AlertEngine.class);
            assertThat(engine).isInstanceOf(DeferredAlertEngine.class);
            Perf perf = context.getBean(Perf.class);
            assertThat(((DeferredAlertEngine) engine).built()).isFalse();
            assertThat(perf.statusSections()).doesNotContainKey("alerts");

            assertThat(names(engine)).contains("memory-warning", "cpu-critical");
            assertThat(((DeferredAlertEngine) engine).built()).isTrue();
            assertThat(perf.statusSections()).containsKey("alerts");
            assertThat(engine.stats().evaluations()).isGreaterThanOrEqualTo(0);
        });
        // A context without SpringApplication has no ready event: the engine comes a little after the refresh.
        runner.run(context -> {
            DeferredAlertEngine engine = (DeferredAlertEngine) context.getBean(AlertEngine.class);
            await().atMost(DeferredAlertEngine.UNREADY_DELAY.plusSeconds(10)).until(engine::built);
            assertThat(context.getBean(Perf.class).statusSections()).containsKey("alerts");
        });
        // A configured rule could be wrong: that engine is built at start-up, where a wrong value fails it.
        runner.withPropertyValues("perfkit.alerts.rules[0].name=cpu-critical", "perfkit.alerts.rules[0].enabled=false")
                .run(context -> {
                    assertThat(context.getBean(AlertEngine.class)).isNotInstanceOf(DeferredAlertEngine.class);
                    assertThat(context.getBean(Perf.class).statusSections()).containsKey("alerts");
                });
    }

    @Test
    void aStartedApplicationBuildsTheDeferredEngineOnceReadyAndClosesIt() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .properties("perfkit.system-metrics=false", "perfkit.diagnosis.enabled=false",
                        "spring.main.banner-mode=off", "spring.jmx.enabled=false")
                .run()) {
            DeferredAlertEngine engine = (DeferredAlertEngine) context.getBean(AlertEngine.class);
            Perf perf = context.getBean(Perf.class);
            await().atMost(Duration.ofSeconds(20)).until(engine::built);
            assertThat(perf.statusSections()).containsKey("alerts");
            context.close();
            assertThat(perf.statusSections()).doesNotContainKey("alerts");
        }
    }

    /** An application with nothing but Perfkit's auto-configuration. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({PerfkitAutoConfiguration.class, PerfkitAlertsAutoConfiguration.class})
    static class Empty {}

    @Test
    void findingsBecomeAlertsWhenTheDiagnosisIsOn() {
        runner.withPropertyValues("perfkit.diagnosis.enabled=true", "perfkit.alerts.default-rules=false")
                .run(context -> assertThat(names(context.getBean(AlertEngine.class)))
                        .containsExactly(PerfkitAlertsAutoConfiguration.FINDINGS_RULE));
        runner.withPropertyValues("perfkit.diagnosis.enabled=true", "perfkit.alerts.default-rules=false",
                        "perfkit.alerts.findings=false")
                .run(context -> assertThat(names(context.getBean(AlertEngine.class))).isEmpty());
    }

    @Test
    void aFiringInlineRuleIsListedAndPostedToTheWebhook() throws IOException {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> keys = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            keys.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Api-Key")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            runner.withPropertyValues("perfkit.tick-interval=100ms", "perfkit.alerts.interval=100ms",
                            "perfkit.alerts.default-rules=false",
                            "perfkit.alerts.rules[0].name=threads-present",
                            "perfkit.alerts.rules[0].metric=perfkit.jvm.threads.live",
                            "perfkit.alerts.rules[0].comparison=>=",
                            "perfkit.alerts.rules[0].threshold=1",
                            "perfkit.alerts.rules[0].aggregation=last",
                            "perfkit.alerts.rules[0].window=10s",
                            "perfkit.alerts.notifiers.webhook.url=http://127.0.0.1:" + server.getAddress().getPort()
                                    + "/hook",
                            "perfkit.alerts.notifiers.webhook.allow-private-targets=true",
                            "perfkit.alerts.notifiers.webhook.headers.X-Api-Key=k-123")
                    .run(context -> {
                        AlertEngine engine = context.getBean(AlertEngine.class);
                        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(engine.activeAlerts())
                                .extracting(AlertEvent::rule).contains("threads-present"));
                        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                                assertThat(bodies).anySatisfy(b -> assertThat(b).contains("threads-present")));
                        assertThat(keys).contains("k-123");
                    });
        } finally {
            server.stop(0);
        }
    }

    @Test
    void wrongValuesFailStartupNamingTheProperty(CapturedOutput output) {
        fails("perfkit.alerts.rules-file", "perfkit.alerts.rules-file=classpath:no-such-file.yaml");
        fails("perfkit.alerts.rules[0].name", "perfkit.alerts.rules[0].metric=perfkit.jvm.threads.live");
        fails("perfkit.alerts.rules[0]", "perfkit.alerts.rules[0].name=bad",
                "perfkit.alerts.rules[0].metric=perfkit.jvm.threads.live",
                "perfkit.alerts.rules[0].comparison==~", "perfkit.alerts.rules[0].threshold=1");
        fails("perfkit.alerts.rules[0]", "perfkit.alerts.rules[0].name=no-threshold",
                "perfkit.alerts.rules[0].metric=perfkit.jvm.threads.live");
        fails("perfkit.alerts.notifiers.webhook.url", "perfkit.alerts.notifiers.webhook.url=ftp://example.com/x");
        fails("perfkit.alerts.notifiers.webhook.format", "perfkit.alerts.notifiers.webhook.format=xml");
        fails("perfkit.alerts.notifiers.email.from", "perfkit.alerts.notifiers.email.host=smtp.example.com",
                "perfkit.alerts.notifiers.email.to=ops@example.com", "perfkit.alerts.notifiers.email.username=u",
                "perfkit.alerts.notifiers.email.password=" + SECRET);
        fails("perfkit.alerts.notifiers.email.from", "perfkit.alerts.notifiers.email.host=smtp.example.com",
                "perfkit.alerts.notifiers.email.from=not an address", "perfkit.alerts.notifiers.email.to=a@b.c",
                "perfkit.alerts.notifiers.email.username=u", "perfkit.alerts.notifiers.email.password=" + SECRET);
        fails("perfkit.alerts.notifiers.email.username", "perfkit.alerts.notifiers.email.host=smtp.example.com",
                "perfkit.alerts.notifiers.email.from=a@b.c", "perfkit.alerts.notifiers.email.to=a@b.c",
                "perfkit.alerts.notifiers.email.password=" + SECRET);
        fails("perfkit.alerts.notifiers.email.port", "perfkit.alerts.notifiers.email.port=0");
        assertThat(output.getAll()).doesNotContain(SECRET);
    }

    @Test
    void anEmailNotifierFromPropertiesNeverShowsThePassword(CapturedOutput output) {
        runner.withPropertyValues("logging.level.io.github.perfkit=DEBUG",
                        "perfkit.alerts.notifiers.email.host=smtp.example.com",
                        "perfkit.alerts.notifiers.email.from=perfkit@example.com",
                        "perfkit.alerts.notifiers.email.to=ops@example.com",
                        "perfkit.alerts.notifiers.email.username=perfkit",
                        "perfkit.alerts.notifiers.email.password=" + SECRET)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    PerfkitProperties properties = context.getBean(PerfkitProperties.class);
                    assertThat(properties.getAlerts().getNotifiers().getEmail().toString()).doesNotContain(SECRET);
                });
        assertThat(output.getAll()).doesNotContain(SECRET);
    }

    private void fails(String property, String... values) {
        runner.withPropertyValues(values).run(context -> {
            assertThat(context).hasFailed();
            Throwable root = context.getStartupFailure();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = root; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).as(String.join(", ", values)).contains(property)
                    .doesNotContain(SECRET);
        });
    }
}
