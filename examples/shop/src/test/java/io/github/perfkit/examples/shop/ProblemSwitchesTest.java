package io.github.perfkit.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.examples.shop.problems.Problem;
import io.github.perfkit.examples.shop.problems.ProblemSwitches;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProblemSwitchesTest {

    @Test
    void propertyNamesAllNoneOrAList() {
        assertThat(ProblemSwitches.parse("all")).isEqualTo(EnumSet.allOf(Problem.class));
        assertThat(ProblemSwitches.parse("none")).isEmpty();
        assertThat(ProblemSwitches.parse("")).isEmpty();
        assertThat(ProblemSwitches.parse(" slow-query, N_PLUS_ONE ")).containsExactly(Problem.SLOW_QUERY, Problem.N_PLUS_ONE);
        assertThatThrownBy(() -> ProblemSwitches.parse("slow-query,bogus"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("shop.problems: unknown problem 'bogus'");
    }

    @Test
    void switchingOffNotifiesTheListeners() {
        ProblemSwitches switches = new ProblemSwitches("cpu-spike");
        AtomicReference<Problem> off = new AtomicReference<>();
        switches.onSwitchedOff(off::set);
        assertThat(switches.isOn(Problem.CPU_SPIKE)).isTrue();
        assertThat(switches.set(Problem.CPU_SPIKE, true)).isFalse();
        assertThat(switches.set(Problem.CPU_SPIKE, false)).isTrue();
        assertThat(off.get()).isEqualTo(Problem.CPU_SPIKE);
        assertThat(switches.states()).containsEntry(Problem.CPU_SPIKE, false).hasSize(Problem.values().length);
    }
}
