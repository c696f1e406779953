package io.headroom.cli;

import io.headroom.cycle.FailureRuns;
import io.headroom.collect.FeatureCollector;
import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.PrometheusClient;
import io.headroom.collect.PrometheusWorkloadDiscovery;
import io.headroom.collect.Series;
import io.headroom.collect.StepGrid;
import io.headroom.config.FeatureSpec;
import io.headroom.config.HeadroomConfig;
import io.headroom.config.WorkloadsConfig;
import io.headroom.detect.Backtest;
import io.headroom.detect.Interval;
import io.headroom.metrics.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code headroom backtest}: replay a time range as the daemon would have scored it. Fetches the whole span once
 * (one range query per feature, plus the failure and group queries when configured), then hands it to
 * {@link Backtest}, which trains and scores in memory. See {@link Backtest} for how the replay stays causal.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replays a time range from Prometheus as the daemon would have scored it, causally: a score at",
                "time t uses only models trained on rows before t, retrained every detection.retrain_every from",
                "--from, with the configured scope and fallback. Writes CSV: timestamp,workload,score,tier,",
                "top_feature,model_scope,model_trained_at,raw_score; one row per workload per scoring step; empty",
                "score where no model existed yet or there was no data. Prints a summary to stderr."})
final class BacktestCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    /** The first and last scoring times; the first training is at {@code --from}. */
    @Mixin
    TimeRange range;

    @Mixin
    OutputOption out;

    @Option(names = "--step", paramLabel = "DURATION",
            description = "Time between scoring steps (default: collection.interval, as the daemon scores). The data "
                    + "stay at collection.step, so every score is still the one the daemon would have computed.")
    String step;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads that train and score (default: the number of CPUs). The output is the same for any N.")
    Integer threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        HeadroomConfig cfg = config.load();
        Duration every = StepArg.parse(step, cfg.collection().interval(), spec);
        range.check();
        Instant from = range.from;
        Instant to = range.to;
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw usage("--threads: must be at least 1 (got " + n + ")");
        }
        Set<String> counters = cfg.features().stream().filter(f -> f.kind() == FeatureSpec.Kind.COUNTER)
                .map(FeatureSpec::name).collect(Collectors.toSet());
        Backtest backtest = new Backtest(new Backtest.Settings(cfg.detection(), cfg.collection().step(),
                cfg.collection().lookback(), every, counters, n));
        Backtest.Plan plan = backtest.plan(from, to);

        Metrics metrics = Metrics.isolated();
        Inputs in;
        try (PrometheusClient client = new PrometheusClient(cfg.prometheus(), metrics)) {
            in = fetch(cfg, client, metrics, plan.history());
        }
        Backtest.Summary summary = out.write(sink -> backtest.run(in.history(), in.failures(), in.groups(), from, to,
                new BacktestCsv(sink, cfg.decide().tiers())));

        long trained = summary.trainings().stream().mapToLong(t -> t.trained().size()).sum();
        long skipped = summary.trainings().stream().mapToLong(t -> t.skipped().size()).sum();
        spec.commandLine().getErr().printf(
                "backtest %s .. %s: %d steps x %d workloads = %d rows (%d scored); %d trainings (%d models, %d skipped); "
                        + "%d Prometheus requests; %.1fs -> %s%n",
                plan.scoring().start(), plan.scoring().last(), plan.scoring().size(), summary.workloads(),
                summary.rows(), summary.scored(), summary.trainings().size(), trained, skipped,
                (long) metrics.prometheusRequestsSent(), (System.nanoTime() - started) / 1e9, out);
        return 0;
    }

    /** Everything the replay reads, fetched once for the whole span. */
    private record Inputs(FeatureMatrix history, Map<String, List<Interval>> failures,
                          List<Backtest.GroupSighting> groups) {}

    private static Inputs fetch(HeadroomConfig cfg, PrometheusClient client, Metrics metrics, StepGrid grid) {
        WorkloadsConfig w = cfg.workloads();
        // Prometheus discovery is replayed over the whole span; libvirt only knows the guests running now, so
        // with it every workload with data in the span (and passing include/exclude) is replayed.
        Optional<Set<String>> rows = w.source() == WorkloadsConfig.Source.PROMETHEUS
                ? Optional.of(new PrometheusWorkloadDiscovery(client, w, Duration.between(grid.start(), grid.end()))
                        .discover(grid.end()))
                : Optional.empty();
        FeatureMatrix history = new FeatureCollector(client, metrics).collect(cfg.features(), w.label(), rows, grid);
        if (rows.isEmpty()) {
            history = accepted(history, w);
        }
        Map<String, List<Interval>> failures = Map.of();
        String q = cfg.detection().failureQuery();
        if (!q.isBlank()) {
            failures = FailureRuns.of(client.queryRange(q, grid.start(), grid.end(), grid.step()), w.label(), grid);
        }
        List<Backtest.GroupSighting> groups = List.of();
        String g = cfg.detection().groupLabel();
        if (!g.isEmpty() && !w.selector().isBlank()) {
            groups = groups(client.queryRange("group by (" + w.label() + ", " + g + ") (" + w.selector() + ")",
                    grid.start(), grid.end(), grid.step()), w.label(), g, grid);
        }
        return new Inputs(history, failures, groups);
    }

    /**
     * When each workload carried which group label. One range query over the span replaces the series call
     * each live training makes over its own window, so every training can be told the groups of its window only.
     */
    private static List<Backtest.GroupSighting> groups(List<Series> series, String label, String groupLabel, StepGrid grid) {
        long[] millis = new long[grid.size()];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = grid.timestampAt(i);
        }
        List<Backtest.GroupSighting> out = new ArrayList<>();
        for (Series s : series) {
            String w = s.labels().get(label);
            String g = s.labels().get(groupLabel);
            if (w == null || g == null) {
                continue;
            }
            double[] present = new double[millis.length];
            for (int i = 0; i < s.size(); i++) {
                int idx = grid.indexOf(s.timestampAt(i));
                if (idx >= 0) {
                    present[idx] = 1;
                }
            }
            for (Interval iv : Interval.positiveRuns(millis, present)) {
                out.add(new Backtest.GroupSighting(w, g, iv));
            }
        }
        return out;
    }

    /** The rows of workloads that pass include/exclude. */
    private static FeatureMatrix accepted(FeatureMatrix m, WorkloadsConfig w) {
        List<String> keep = m.workloads().stream().filter(w::accepts).toList();
        if (keep.size() == m.workloads().size()) {
            return m;
        }
        double[] all = m.toArray();
        int block = m.grid().size() * m.features().size(); // one workload's rows are contiguous
        double[] values = new double[keep.size() * block];
        for (int i = 0; i < keep.size(); i++) {
            System.arraycopy(all, m.workloadIndex(keep.get(i)) * block, values, i * block, block);
        }
        return new FeatureMatrix(keep, m.features(), m.grid(), values);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
