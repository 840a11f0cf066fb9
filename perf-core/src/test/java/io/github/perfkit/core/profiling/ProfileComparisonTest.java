package io.github.perfkit.core.profiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileComparisonTest {

    @Test
    void reportsRisenFallenAndNewHotspotsBeyondTheThreshold() {
        ProfileResult baseline = result(1_000, 10_000_000,
                fn("app.Orders.load", 0.40), fn("app.Json.write", 0.30), fn("app.Cache.get", 0.10));
        ProfileResult current = result(1_200, 30_000_000,
                fn("app.Orders.load", 0.12), fn("app.Json.write", 0.32), fn("app.Regex.match", 0.45));

        ProfileComparison diff = ProfileComparison.of(baseline, current, 0.05);

        assertThat(diff.risen()).extracting(ProfileComparison.Change::frame).containsExactly("app.Regex.match");
        assertThat(diff.risen().get(0).before()).isZero();
        assertThat(diff.fallen()).extracting(ProfileComparison.Change::frame)
                .containsExactly("app.Orders.load", "app.Cache.get");
        assertThat(diff.newHotspots()).containsExactly("app.Regex.match");
        assertThat(diff.cpuSamplesDelta()).isEqualTo(200);
        assertThat(diff.allocationRateDelta()).isCloseTo(2_000_000, within(1e-6));
        assertThat(diff.hasChanges()).isTrue();
        assertThat(ProfileComparison.of(baseline, baseline, 0.05).hasChanges()).isFalse();
    }

    @Test
    void thresholdMustBeAShare() {
        ProfileResult r = result(1, 0);
        assertThatThrownBy(() -> ProfileComparison.of(r, r, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> ProfileComparison.of(r, r, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ProfileResult.FunctionStat fn(String frame, double share) {
        return new ProfileResult.FunctionStat(frame, (long) (share * 1000), (long) (share * 1000), share, share);
    }

    private static ProfileResult result(long samples, long allocatedBytes, ProfileResult.FunctionStat... functions) {
        List<ProfileResult.Hotspot> hotspots = java.util.Arrays.stream(functions)
                .filter(f -> f.selfShare() >= 0.2)
                .map(f -> new ProfileResult.Hotspot(f.frame(), f.selfShare(), List.of(f.frame()), f.selfShare()))
                .toList();
        return new ProfileResult(Instant.EPOCH, Duration.ofSeconds(10), samples, List.of(functions), hotspots,
                Map.of(), List.of(), List.of(), allocatedBytes, List.of(),
                new ProfileResult.GcStat(0, Duration.ZERO, Duration.ZERO));
    }
}
