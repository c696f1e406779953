package io.headroom.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Posting Headroom's alerts to Alertmanager's API v2.
 *
 * @param urls           base URLs of every Alertmanager of an HA group (all are posted to); empty = no alerts
 * @param resendInterval how often an alert that still holds is posted again
 * @param timeout        connect and whole-call timeout of one POST
 * @param queueSize      alerts waiting to be sent; the oldest is dropped when full
 * @param host           value of the {@code host} label (default: this machine's hostname)
 * @param dashboardUrl   link put in the {@code dashboard} annotation and {@code generatorURL}; placeholders
 *                       {@code {workload}}, {@code {host}}, {@code {alertname}}
 * @param retry          backoff while no Alertmanager accepts a batch
 * @param bearerTokenFile file holding a token sent as {@code Authorization: Bearer} on every post
 * @param caFile         PEM bundle trusted for https instead of the system CAs
 */
public record AlertmanagerConfig(
        List<URI> urls,
        Duration resendInterval,
        Duration timeout,
        int queueSize,
        String host,
        Optional<UrlTemplate> dashboardUrl,
        BackoffConfig retry,
        Optional<Path> bearerTokenFile,
        Optional<Path> caFile) {

    public AlertmanagerConfig {
        urls = List.copyOf(urls);
    }

    /** Whether any Alertmanager is configured. */
    public boolean enabled() {
        return !urls.isEmpty();
    }
}
