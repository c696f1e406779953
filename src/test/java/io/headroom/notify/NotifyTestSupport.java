package io.headroom.notify;

import io.headroom.config.AlertmanagerConfig;
import io.headroom.config.BackoffConfig;
import io.headroom.metrics.Metrics;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Config builders and metric readers shared by the notify tests. */
final class NotifyTestSupport {

    private NotifyTestSupport() {}

    static AlertmanagerConfig alertmanager(List<URI> urls, int queueSize) {
        return new AlertmanagerConfig(urls, Duration.ofMinutes(1), Duration.ofSeconds(2), queueSize, "kvm-test",
                Optional.empty(), new BackoffConfig(Duration.ofMillis(20), Duration.ofMillis(200)), Optional.empty(),
                Optional.empty());
    }

    static double value(Metrics metrics, String name, String[] labels, String... values) {
        Double v = metrics.registry().getSampleValue(name, labels, values);
        return v == null ? 0 : v;
    }

    static double sent(Metrics metrics, String url) {
        return value(metrics, "headroom_notifications_sent_total", new String[] {"alertmanager"}, url);
    }

    static double errors(Metrics metrics, String url, String reason) {
        return value(metrics, "headroom_notifications_errors_total", new String[] {"alertmanager", "reason"}, url, reason);
    }

    static double dropped(Metrics metrics, String reason) {
        return value(metrics, "headroom_notifications_dropped_total", new String[] {"reason"}, reason);
    }
}
