package io.headroom.notify;

import io.headroom.config.AlertmanagerConfig;
import io.headroom.metrics.Metrics;
import java.time.Instant;
import java.util.Collection;

/**
 * Posts Headroom's alerts to Alertmanager's API v2 ({@code POST /api/v2/alerts}) on OkHttp, to one Alertmanager
 * or every member of an HA group.
 *
 * <p>{@link #update} diffs the conditions of this cycle against the previous one: a new condition is posted with
 * {@code startsAt} now, one that still holds is posted again every {@code resend_interval} (or at once when what
 * Headroom changed or the top features differ), and one that is gone is resolved with {@code endsAt} now. Posting
 * happens on the client's own thread with retries and backoff (see {@link AlertDelivery}); {@code update} only
 * computes and enqueues, so a slow or dead Alertmanager never delays the caller.
 */
public final class AlertmanagerClient implements AlertSink {

    private final AlertTracker tracker;
    private final AlertDelivery delivery;
    private final Metrics metrics;

    /** Starts the sender thread; {@link #close()} stops it. */
    public AlertmanagerClient(AlertmanagerConfig cfg, Metrics metrics) {
        if (!cfg.enabled()) {
            throw new IllegalArgumentException("no Alertmanager URL configured; use AlertSink.create for an optional sink");
        }
        this.tracker = new AlertTracker(cfg.resendInterval(), new AlertRenderer(cfg.host(), cfg.dashboardUrl()));
        this.delivery = new AlertDelivery(cfg, metrics);
        this.metrics = metrics;
    }

    @Override
    public synchronized void update(Collection<ActiveAlert> active, Instant now) {
        delivery.enqueue(tracker.update(active, now));
        metrics.notificationsActive.set(tracker.activeCount());
    }

    @Override
    public void close() {
        delivery.close();
    }
}
