package io.github.perfkit.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The statistics {@link StartupComparison} reports, on inputs whose answers are known. */
class StartupComparisonTest {

    @Test
    void medianMeanAndStandardError() {
        assertThat(StartupComparison.median(new long[] {5, 1, 3})).isEqualTo(3.0);
        assertThat(StartupComparison.median(new long[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(StartupComparison.mean(new long[] {1, 2, 3, 6})).isEqualTo(3.0);
        // sample standard deviation of {1, 2, 3, 6} is sqrt(14/3); the error of the mean divides it by 2
        assertThat(StartupComparison.standardError(new long[] {1, 2, 3, 6}))
                .isCloseTo(Math.sqrt(14.0 / 3) / 2, within(1e-9));
    }

    @Test
    void bootstrapIntervalHoldsTheMedianAndNarrowsWithMoreRounds() {
        long[] few = {100, 120, 80, 140, 110, 90, 130, 70, 150, 60};
        long[] many = new long[200];
        for (int i = 0; i < many.length; i++) {
            many[i] = few[i % few.length];
        }
        double[] wide = StartupComparison.bootstrapMedianInterval(few, 2_000, 1);
        double[] narrow = StartupComparison.bootstrapMedianInterval(many, 2_000, 1);

        assertThat(wide[0]).isLessThanOrEqualTo(105).isGreaterThanOrEqualTo(60);
        assertThat(wide[1]).isGreaterThanOrEqualTo(105).isLessThanOrEqualTo(150);
        assertThat(narrow[1] - narrow[0]).isLessThan(wide[1] - wide[0]);
        assertThat(StartupComparison.bootstrapMedianInterval(few, 2_000, 1)).containsExactly(wide); // seeded
    }

    @Test
    void readsTheLaunchersLineAndRefusesAnIncompleteOne() {
        assertThat(StartupComparison.parse("RESULT perfkit.enabled=true jvm-to-ready=2304 run=2290 main-cpu=1615 "
                + "process-cpu=4360")).containsEntry("jvm-to-ready", 2304L).containsEntry("main-cpu", 1615L)
                .containsEntry("process-cpu", 4360L);
        assertThatThrownBy(() -> StartupComparison.parse("RESULT jvm-to-ready=1 main-cpu=2"))
                .hasMessageContaining("process-cpu");
    }

    @Test
    void pairsTheNthStartOfEachArm() {
        List<String> output = List.of(
                "some log line",
                "RESULT perfkit.enabled=false jvm-to-ready=2000 run=1990 main-cpu=1500 process-cpu=4000",
                "CLOSE perfkit.enabled=false close=20",
                "RESULT perfkit.enabled=true jvm-to-ready=2100 run=2090 main-cpu=1520 process-cpu=4300",
                "RESULT perfkit.enabled=false jvm-to-ready=2200 run=2190 main-cpu=1600 process-cpu=4100",
                "RESULT perfkit.enabled=true jvm-to-ready=2330 run=2320 main-cpu=1650 process-cpu=4400",
                "RESULT perfkit.enabled=false jvm-to-ready=2100 run=2090 main-cpu=1550 process-cpu=4050");

        String report = StartupComparison.report(output);

        // two complete rounds (the third start without Perfkit has no partner): +100 and +130 ms
        assertThat(report).contains("jvm-to-ready  without  2100.0 ms, with  2215.0 ms (medians); added: paired median "
                + "+115.0 ms").contains("mean +115.0 ± 15.0 ms, 2 rounds");
        assertThat(report.lines()).hasSize(3);
        assertThatThrownBy(() -> StartupComparison.report(output.subList(0, 4)))
                .hasMessageContaining("at least two starts");
    }
}
