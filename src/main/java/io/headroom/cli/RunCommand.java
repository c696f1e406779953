package io.headroom.cli;

import io.headroom.daemon.Daemon;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.prometheus.client.CollectorRegistry;
import io.vertx.core.VertxOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code headroom run}: the daemon. Stops cleanly on SIGTERM or SIGINT; SIGHUP reloads the config. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the daemon: collects on collection.interval and serves /metrics, /-/healthy and",
                "/-/ready on server.listen. SIGTERM stops it cleanly; SIGHUP re-reads the config file."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HeadroomConfig cfg = config.load();
        Daemon daemon = new Daemon(cfg, new Metrics(CollectorRegistry.defaultRegistry), new VertxOptions()).withJvmMetrics()
                .withConfigFile(config.file);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "headroom-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // Before start, so that no SIGHUP, however early, falls to the JVM's default of exiting with 129.
        daemon.reloadOnSighup();
        int port;
        try {
            port = daemon.start();
        } catch (Exception e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            daemon.close();
            throw e;
        }
        spec.commandLine().getOut().printf("headroom listening on http://%s:%d/metrics%n", cfg.server().host(), port);
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
