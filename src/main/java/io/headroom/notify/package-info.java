/**
 * Notification: Headroom's alerts to Alertmanager ({@link io.headroom.notify.AlertSink}, fed once per cycle with
 * every active condition), failure alerts received from Alertmanager's webhook ({@link io.headroom.notify.WebhookReceiver}
 * into a {@link io.headroom.notify.FailureLog}), and the optional admission pause ({@link io.headroom.notify.AdmissionGate}).
 * Network calls run on the stage's own threads or a worker pool, never the caller's. Depends on config, metrics, net (the HTTP clients) and journal (the failure log) only.
 */
package io.headroom.notify;
