package io.github.perfkit.spring.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

/**
 * Start-up profile (not a test): starts {@link SampleApp} once with Spring's {@link BufferingApplicationStartup} and
 * prints the instantiation time of every Perfkit bean (beans named {@code perf*}/{@code perfkit*} or of a
 * {@code io.github.perfkit} type): its own (minus the beans created on its way) and inclusive, and the sum of the
 * own times. One JVM, defaults:
 *
 * <pre>
 * java -cp "$CP" io.github.perfkit.spring.it.StartupProfile [key=value ...]
 * </pre>
 *
 * (classpath as in {@link StartupLauncher}). Arguments are extra properties.
 */
public final class StartupProfile {

    private StartupProfile() {}

    /**
     * @param args extra properties ({@code key=value})
     */
    public static void main(String[] args) {
        BufferingApplicationStartup startup = new BufferingApplicationStartup(20_000);
        long t0 = System.nanoTime();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApp.class)
                .applicationStartup(startup)
                .properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
                        "logging.level.root=warn")
                .properties(args)
                .logStartupInfo(false)
                .run();
        long run = (System.nanoTime() - t0) / 1_000_000;
        StartupTimeline timeline = startup.getBufferedTimeline();
        List<StartupTimeline.TimelineEvent> beans = new ArrayList<>();
        for (StartupTimeline.TimelineEvent e : timeline.getEvents()) {
            StartupStep step = e.getStartupStep();
            if (!step.getName().equals("spring.beans.instantiate")) {
                continue;
            }
            String name = tag(step, "beanName");
            String type = tag(step, "beanType");
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("perf") || type.contains("io.github.perfkit")) {
                beans.add(e);
            }
        }
        // Exclusive time: a bean's instantiation minus that of the beans created on its way (its child steps).
        Map<Long, Duration> children = new HashMap<>();
        for (StartupTimeline.TimelineEvent e : timeline.getEvents()) {
            StartupStep step = e.getStartupStep();
            if (step.getName().equals("spring.beans.instantiate") && step.getParentId() != null) {
                children.merge(step.getParentId(), e.getDuration(), Duration::plus);
            }
        }
        beans.sort(Comparator.comparing((StartupTimeline.TimelineEvent e) ->
                exclusive(e, children)).reversed());
        Duration sum = Duration.ZERO;
        for (StartupTimeline.TimelineEvent e : beans) {
            StartupStep step = e.getStartupStep();
            Duration own = exclusive(e, children);
            System.out.printf(Locale.ROOT, "BEAN %7.1f ms own %7.1f ms inclusive  %s%n", own.toNanos() / 1e6,
                    e.getDuration().toNanos() / 1e6, tag(step, "beanName"));
            sum = sum.plus(own);
        }
        System.out.printf(Locale.ROOT, "RESULT run=%d ms perfkit-beans=%d sum-own=%.1f ms args=%s%n", run,
                beans.size(), sum.toNanos() / 1e6, Arrays.toString(args));
        context.close();
        System.exit(0);
    }

    private static Duration exclusive(StartupTimeline.TimelineEvent e, Map<Long, Duration> children) {
        Duration own = e.getDuration().minus(children.getOrDefault(e.getStartupStep().getId(), Duration.ZERO));
        return own.isNegative() ? Duration.ZERO : own;
    }

    private static String tag(StartupStep step, String key) {
        for (StartupStep.Tag t : step.getTags()) {
            if (t.getKey().equals(key)) {
                return t.getValue();
            }
        }
        return "";
    }
}
