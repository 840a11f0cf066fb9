package io.github.perfkit.alerts;

import java.io.IOException;

/**
 * Delivers notifications (SPI). The engine calls each notifier from its own delivery thread, behind
 * a bounded queue, with retries, so a slow or failing notifier never delays evaluation or the other
 * notifiers. Implementations must bound the time one {@link #send} takes (timeouts).
 *
 * <p>Thread-safety: {@link #send} is called from one delivery thread per notifier at a time.
 */
public interface Notifier {

    /** @return a short name, used in logs and counters */
    String name();

    /**
     * Delivers one notification.
     *
     * @param notification the notification
     * @throws IOException if delivery failed and may be retried
     */
    void send(AlertNotification notification) throws IOException;
}
