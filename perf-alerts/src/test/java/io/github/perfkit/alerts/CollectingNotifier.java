package io.github.perfkit.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test notifier keeping what it receives. */
final class CollectingNotifier implements Notifier {
    final List<AlertNotification> received = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "collect";
    }

    @Override
    public void send(AlertNotification notification) {
        received.add(notification);
    }

    List<AlertEvent> events() {
        List<AlertEvent> out = new ArrayList<>();
        received.forEach(n -> out.addAll(n.events()));
        return out;
    }
}
