package io.headroom.daemon;

import io.headroom.act.LibvirtGateway;
import io.headroom.collect.FeatureCollector;
import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.FeatureMatrixCsv;
import io.headroom.collect.PrometheusClient;
import io.headroom.collect.StepGrid;
import io.headroom.config.Durations;
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

    @Option(names = "--from", required = true, converter = TimeArg.class, paramLabel = "T",
            description = "Start: RFC 3339, unix seconds, now or now-<duration>.")
    Instant from;

    @Option(names = "--to", required = true, converter = TimeArg.class, paramLabel = "T",
            description = "End (inclusive), same forms as --from.")
    Instant to;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Output file; '-' for stdout.")
    String out;

    @Option(names = "--step", paramLabel = "DURATION", description = "Grid step (default: collection.step).")
    String step;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HeadroomConfig cfg = config.load();
        Duration gridStep = step == null ? cfg.collection().step() : Durations.parse(step)
                .filter(d -> !d.isZero() && d.toMillis() % 1000 == 0)
                .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                        "--step: must be a whole number of seconds such as 30s or 5m (got \"" + step + "\")"));
        if (!to.isAfter(from)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--to must be after --from (got from " + from + ", to " + to + ")");
        }
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
        OutputFile.write(out, spec.commandLine().getOut(), w -> FeatureMatrixCsv.write(matrix, w));
        double requests = metrics.registry().getSampleValue("headroom_prometheus_requests_total",
                new String[] {"endpoint"}, new String[] {"query_range"});
        spec.commandLine().getErr().printf("%d workloads x %d steps x %d features, %d range requests -> %s%n",
                matrix.workloads().size(), grid.size(), matrix.features().size(), (long) requests, out);
        return 0;
    }
}
