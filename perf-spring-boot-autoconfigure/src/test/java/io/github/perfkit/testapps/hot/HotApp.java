package io.github.perfkit.testapps.hot;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application with a planted slow method: {@link Crunch#burn(long)} spins on the CPU. Outside
 * {@code io.github.perfkit.spring} on purpose: the diagnosis never names Perfkit's own packages as a culprit.
 */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"})
public class HotApp {

    /** The planted CPU hotspot. */
    @Service
    public static class Crunch {
        /**
         * Burns the CPU for about the given time (no call out of this method but the clock, so it is the top
         * application frame of every sample taken meanwhile).
         *
         * @param millis how long
         * @return a value depending on every iteration, so nothing is optimised away
         */
        public long burn(long millis) {
            long end = System.nanoTime() + millis * 1_000_000L;
            long x = 0x9E3779B97F4A7C15L;
            int i = 0;
            while (true) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                if ((++i & 0x3FF) == 0 && System.nanoTime() >= end) {
                    return x;
                }
            }
        }
    }

    /** The endpoint calling it. */
    @RestController
    public static class ReportController {
        private final Crunch crunch;

        ReportController(Crunch crunch) {
            this.crunch = crunch;
        }

        /** @return a checksum */
        @GetMapping("/report")
        public String report() {
            return Long.toHexString(crunch.burn(40));
        }
    }
}
