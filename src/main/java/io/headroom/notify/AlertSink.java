package io.headroom.notify;

import io.headroom.config.AlertmanagerConfig;
import io.headroom.metrics.Metrics;
import java.time.Instant;
import java.util.Collection;

/**
 * Where the daemon reports, once per cycle, every condition that currently holds. The sink works out what is new,
 * what must be posted again and what has resolved by comparing with the previous call, so the caller keeps no
 * alert state. {@link #update} never blocks on the network.
 */
public interface AlertSink extends AutoCloseable {

    /**
     * Reports the complete set of conditions active now. Conditions absent from {@code active} that were present
     * before are resolved; so an empty collection resolves everything.
     *
     * @param active every condition holding at {@code now}; the same labels twice count once (the last wins)
     * @param now    the cycle's time; startsAt of new alerts and endsAt of resolved ones
     */
    void update(Collection<ActiveAlert> active, Instant now);

    /** Stops delivering; alerts still active are left to expire at their endsAt rather than resolved. */
    @Override
    void close();

    /** A sink that drops everything, for when no Alertmanager is configured. */
    static AlertSink none() {
        return new AlertSink() {
            @Override
            public void update(Collection<ActiveAlert> active, Instant now) {
                // Nothing to tell: alerting is off.
            }

            @Override
            public void close() {
                // Nothing to stop.
            }
        };
    }

    /** An {@link AlertmanagerClient} if any URL is configured, else {@link #none()}. */
    static AlertSink create(AlertmanagerConfig cfg, Metrics metrics) {
        return cfg.enabled() ? new AlertmanagerClient(cfg, metrics) : none();
    }
}
