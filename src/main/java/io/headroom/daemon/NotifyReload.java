package io.headroom.daemon;

import io.headroom.config.AdmissionConfig;
import io.headroom.config.AlertmanagerConfig;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.headroom.notify.AdmissionGate;
import io.headroom.notify.PauseStore;
import io.headroom.notify.AlertSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code notify.alertmanager} and {@code notify.admission} live: when a section or one of its token or CA
 * files changed, a new sink or gate is built (reading the files, so a bad one refuses the reload) and swapped in.
 * An unchanged one is kept, so a reload does not resend every alert nor lift and re-apply every pause.
 */
final class NotifyReload implements Reloadable {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyReload.class);

    private final Notifications notifications;
    private final Metrics metrics;
    private final PauseStore pauses;
    private String alertmanager;
    private String admission;

    NotifyReload(Notifications notifications, HeadroomConfig started, Metrics metrics) {
        this(notifications, started, metrics, PauseStore.inMemory());
    }

    /** @param pauses the daemon's one pause store, which a replacement gate shares with the gate it replaces */
    NotifyReload(Notifications notifications, HeadroomConfig started, Metrics metrics, PauseStore pauses) {
        this.pauses = pauses;
        this.notifications = notifications;
        this.metrics = metrics;
        this.alertmanager = fingerprint(started.notifications().alertmanager());
        this.admission = fingerprint(started.notifications().admission());
    }

    static String fingerprint(AlertmanagerConfig c) {
        return Fingerprint.of(c, List.of(c.bearerTokenFile(), c.caFile()));
    }

    static String fingerprint(AdmissionConfig c) {
        return Fingerprint.of(c, List.of(c.bearerTokenFile(), c.caFile()));
    }

    @Override
    public Prepared prepare(HeadroomConfig next) {
        AlertmanagerConfig am = next.notifications().alertmanager();
        AdmissionConfig ad = next.notifications().admission();
        String amPrint = fingerprint(am);
        String adPrint = fingerprint(ad);
        Optional<AlertSink> sink = amPrint.equals(alertmanager) ? Optional.empty()
                : Optional.of(AlertSink.create(am, metrics));
        Optional<AdmissionGate> gate;
        try {
            gate = adPrint.equals(admission) ? Optional.empty() : Optional.of(new AdmissionGate(ad, metrics, pauses));
        } catch (RuntimeException e) {
            sink.ifPresent(AlertSink::close);
            throw e;
        }
        List<String> changes = new ArrayList<>();
        sink.ifPresent(s -> changes.add("notify.alertmanager"));
        gate.ifPresent(g -> changes.add("notify.admission"));
        return new Prepared() {
            @Override
            public List<String> changes() {
                return changes;
            }

            @Override
            public void commit() {
                alertmanager = amPrint;
                admission = adPrint;
                for (AutoCloseable old : notifications.replace(sink, gate)) {
                    try {
                        old.close();
                    } catch (Exception e) {
                        LOG.warn("closing the replaced notifier failed: {}", e.toString());
                    }
                }
            }

            @Override
            public void discard() {
                sink.ifPresent(AlertSink::close);
                gate.ifPresent(AdmissionGate::close);
            }
        };
    }
}
