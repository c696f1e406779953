package io.headroom.cli;

import io.headroom.daemon.Workloads;
import io.headroom.act.LibvirtGateway;
import io.headroom.collect.FeatureCollector;
import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.FeatureMatrixCsv;
import io.headroom.collect.PrometheusClient;
import io.headroom.collect.StepGrid;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code headroom features}: write the feature matrix Headroom would see over a time range. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Runs the configured feature queries over a time range and writes the aligned matrix as CSV:",
                "header timestamp,workload,<feature...>; one row per workload per step; RFC 3339 UTC timestamps;",
                "missing values empty. One range query per feature covers all workloads."})
final class FeaturesCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Mixin
    TimeRange range;

    @Mixin
    OutputOption out;

    @Option(names = "--step", paramLabel = "DURATION", description = "Grid step (default: collection.step).")
    String step;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HeadroomConfig cfg = config.load();
        Duration gridStep = StepArg.parse(step, cfg.collection().step(), spec);
        range.check();
        Instant from = range.from;
        Instant to = range.to;
        Metrics metrics = Metrics.isolated();
        StepGrid grid = StepGrid.aligned(from, to, gridStep);
        FeatureMatrix matrix;
        try (PrometheusClient client = new PrometheusClient(cfg.prometheus(), metrics);
             LibvirtGateway gateway = new LibvirtGateway(cfg.workloads().libvirtUri(), true)) {
            SortedSet<String> workloads = Workloads.discovery(cfg, client, gateway, Duration.between(from, to))
                    .discover(to);
            matrix = new FeatureCollector(client, metrics)
                    .collect(cfg.features(), cfg.workloads().label(), Optional.of(workloads), grid);
        }
        out.write(w -> {
            FeatureMatrixCsv.write(matrix, w);
            return null;
        });
        double requests = metrics.prometheusRequestsSent("query_range");
        spec.commandLine().getErr().printf("%d workloads x %d steps x %d features, %d range requests -> %s%n",
                matrix.workloads().size(), grid.size(), matrix.features().size(), (long) requests, out);
        return 0;
    }
}
