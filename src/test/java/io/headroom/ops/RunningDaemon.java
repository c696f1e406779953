package io.headroom.ops;

import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.daemon.Daemon;
import io.headroom.metrics.Metrics;
import io.headroom.testing.FreePorts;
import io.prometheus.client.CollectorRegistry;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;

/**
 * A Headroom daemon in this JVM with its own metrics registry, on a port chosen before it starts: Prometheus must
 * be configured with the scrape target before the daemon (which needs Prometheus' URL) can start.
 */
final class RunningDaemon implements AutoCloseable {

    final int port = FreePorts.loopback();
    final Metrics metrics = new Metrics(new CollectorRegistry());
    private Daemon daemon;

    /** host:port Prometheus scrapes. */
    String target() {
        return "127.0.0.1:" + port;
    }

    String baseUrl() {
        return "http://" + target();
    }

    /** Starts the daemon on {@code yaml} plus {@code server.listen} on this port; relative paths resolve in dir. */
    RunningDaemon start(String yaml, Path dir) throws Exception {
        HeadroomConfig cfg = ConfigLoader.parse(yaml + "\nserver: {listen: '" + target() + "'}\n", dir);
        daemon = new Daemon(cfg, metrics, new VertxOptions());
        int bound = daemon.start();
        if (bound != port) {
            throw new IllegalStateException("daemon bound " + bound + ", expected " + port);
        }
        return this;
    }

    /** A gauge or counter sample of this daemon, or 0 when absent. */
    double value(String name, String[] labels, String... values) {
        Double v = metrics.registry().getSampleValue(name, labels, values);
        return v == null ? 0 : v;
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.close();
        }
    }
}
