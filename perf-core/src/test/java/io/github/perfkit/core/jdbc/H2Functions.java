package io.github.perfkit.core.jdbc;

/** Java functions H2 calls through {@code CREATE ALIAS}; public because H2 calls them reflectively. */
public final class H2Functions {

    private H2Functions() {}

    /**
     * A statement that takes {@code millis}.
     *
     * @param millis how long to sleep
     * @return {@code millis}
     * @throws InterruptedException if interrupted
     */
    public static int sleep(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }
}
