package io.headroom.daemon;

import io.headroom.collect.PrometheusClient;
import io.headroom.config.HeadroomConfig;
import io.headroom.config.PrometheusConfig;
import java.util.List;

/**
 * Applies the {@code prometheus} section live (URL, timeout, retries, headers) and re-reads its token, password and
 * CA files when they changed; scoring, training and discovery share the one client, so all of them follow.
 */
final class PrometheusReload implements Reloadable {

    private final PrometheusClient client;
    private final Runnable swapped;
    private String current;

    PrometheusReload(PrometheusClient client, HeadroomConfig started) {
        this(client, started, () -> { });
    }

    /** {@code swapped}: run after the new settings are in, e.g. to drop data fetched from the old Prometheus. */
    PrometheusReload(PrometheusClient client, HeadroomConfig started, Runnable swapped) {
        this.client = client;
        this.swapped = swapped;
        this.current = fingerprint(started.prometheus());
    }

    static String fingerprint(PrometheusConfig c) {
        return Fingerprint.of(c, List.of(c.bearerTokenFile(), c.basicAuth().map(PrometheusConfig.BasicAuth::passwordFile),
                c.caFile()));
    }

    @Override
    public Prepared prepare(HeadroomConfig next) {
        String print = fingerprint(next.prometheus());
        if (print.equals(current)) {
            return Prepared.nothing();
        }
        Runnable swap = client.prepare(next.prometheus());
        return Prepared.of("prometheus", () -> {
            current = print;
            swap.run();
            swapped.run();
        });
    }
}
