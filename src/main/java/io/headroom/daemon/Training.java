package io.headroom.daemon;

import io.headroom.cycle.FailureRuns;
import io.headroom.collect.FeatureCollector;
import io.headroom.collect.HistoryCache;
import io.headroom.collect.PrometheusClient;
import io.headroom.collect.StepGrid;
import io.headroom.config.DetectionConfig;
import io.headroom.cycle.ActingTracker;
import io.headroom.cycle.BatchTraining;
import io.headroom.cycle.Exclusions;
import io.headroom.config.FeatureSpec;
import io.headroom.config.HeadroomConfig;
import io.headroom.detect.Interval;
import io.headroom.detect.ModelRegistry;
import io.headroom.detect.Retrainer;
import io.headroom.detect.WorkloadModel;
import io.headroom.feedback.Verdicts;
import io.headroom.metrics.Metrics;
import io.headroom.notify.FailureInterval;
import io.headroom.notify.FailureLog;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run: fetch the training window for every workload (batch by batch, one range query per feature;
 * what the {@link HistoryCache} in {@code state_dir/history} kept from the last training is read from there, and
 * only the rest is fetched), the failure intervals (one range query), the groups (one series call), then train and
 * swap in the models. Blocking: the daemon runs it on the {@code headroom-train} worker pool.
 */
final class Training {

    private static final Logger LOG = LoggerFactory.getLogger(Training.class);

    private final HeadroomConfig cfg;
    private final PrometheusClient client;
    private final FeatureCollector collector;
    private final ModelRegistry registry;
    private final ActingTracker acting;
    private final Metrics metrics;
    private final FailureLog failureLog;
    private final Verdicts verdicts;
    /**
     * A batch's feature queries in flight at once. Two: Prometheus evaluates a query on one core and the answer is
     * parsed on another, so two keep both busy on a small host without crowding out the cycle's own queries.
     */
    static final int QUERY_THREADS = 2;
    /** Under {@code state_dir}: each workload's training history, kept for the next training. */
    static final String HISTORY_DIR = "history";
    private static final AtomicInteger QUERY_THREAD_IDS = new AtomicInteger();

    private volatile Map<String, String> groups = Map.of();
    /** A cycle found a missed failure and asked for a training before the schedule's. */
    private final java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();

    Training(HeadroomConfig cfg, PrometheusClient client, FeatureCollector collector, ModelRegistry registry,
             ActingTracker acting, FailureLog failureLog, Verdicts verdicts, Metrics metrics) {
        this.failureLog = failureLog;
        this.verdicts = verdicts;
        this.cfg = cfg;
        this.client = client;
        this.collector = collector;
        this.registry = registry;
        this.acting = acting;
        this.metrics = metrics;
    }

    /** Trains every model the scope needs over the training window ending at {@code now}. */
    Retrainer.Result run(SortedSet<String> workloads, Instant now) throws Exception {
        long started = System.nanoTime();
        Retrainer.Result result = metrics.timeStage("train", () -> {
            DetectionConfig d = cfg.detection();
            StepGrid grid = StepGrid.aligned(now.minus(d.trainingWindow()), now, cfg.collection().step());
            Exclusions excluded = new Exclusions().failures(failures(grid)).acting(acting, now)
                    .verdicts(verdicts.all());
            // Failures reported to the webhook (OOM, service down, ...) count like the failure query's.
            for (FailureInterval f : failureLog.between(grid.start(), now)) {
                excluded.failure(f.workload(), new Interval(f.start(), f.end().orElse(now)));
            }
            groups = groups(grid);
            List<String> names = cfg.features().stream().map(FeatureSpec::name).toList();
            // A fleet within one batch keeps the plain queries; a larger one asks Prometheus for each batch's
            // series only, so neither the responses nor the matrix grow with the fleet.
            ExecutorService queries = Executors.newFixedThreadPool(QUERY_THREADS, r -> {
                Thread t = new Thread(r, "headroom-train-query-" + QUERY_THREAD_IDS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            HistoryCache cache = new HistoryCache(cfg.stateDir().resolve(HISTORY_DIR), cfg.features(),
                    cfg.workloads().label(), cfg.collection().step());
            try {
                Retrainer.Result r = BatchTraining.train(d, List.copyOf(workloads), names, grid, groups,
                        excluded.build(), now, (batch, wholeFleet) -> {
                            HistoryCache.Fetch fetch = (rows, over) -> collector.collect(wholeFleet ? cfg.features()
                                    : BatchQueries.only(cfg.features(), rows), cfg.workloads().label(),
                                    Optional.of(new TreeSet<>(rows)), over, queries);
                            return d.historyCache() ? cache.rows(batch, grid, fetch) : cache.fetchOnly(batch, grid, fetch);
                        }, registry);
                dropDeparted(workloads, now.minus(d.trainingWindow()));
                // Switched off, the cache goes too: nothing would keep it current.
                cache.retain(d.historyCache() ? workloads : Set.of());
                return r;
            } finally {
                queries.shutdownNow();
                HistoryCache.Counts counts = cache.takeCounts();
                metrics.trainingHistoryRows.labels("cache").set(counts.cached());
                metrics.trainingHistoryRows.labels("prometheus").set(counts.fetched());
                metrics.trainingHistoryCacheErrors.inc(counts.errors());
                metrics.trainingHistoryNotWritten.set(counts.notWritten());
            }
        });
        metrics.trainingDuration.set((System.nanoTime() - started) / 1e9);
        metrics.modelsSkipped.set(result.skipped().size());
        metrics.modelsOverBudget.set(result.overBudget());
        long held = registry.all().values().stream().mapToLong(WorkloadModel::retainedBytes).sum();
        metrics.modelsMemory.set(held);
        if (result.overBudget() > 0) {
            LOG.warn("training left {} of {} workloads without an own model: the models hold {} MiB of the {} MiB "
                            + "they may ({}% of the heap); in auto scope their group's or the global model scores "
                            + "them; more heap (HEADROOM_JAVA_OPTS=-Xmx...) gives them their own",
                    result.overBudget(), workloads.size(), held >> 20, BatchTraining.modelMemoryBudget() >> 20,
                    Math.round(100 * BatchTraining.MODEL_MEMORY_SHARE));
        }
        LOG.info("training done models={} skipped={} workloads={} seconds={}", result.models().size(),
                result.skipped().size(), workloads.size(), String.format("%.1f", (System.nanoTime() - started) / 1e9));
        return result;
    }

    /**
     * Forgets the models of workloads (and groups) absent from this training whose last training is older than a
     * training window: by then nothing of them is left to train on, and on a host whose guests come and go the
     * registry and the model directory would otherwise grow forever.
     */
    private void dropDeparted(SortedSet<String> workloads, Instant cutoff) throws java.io.IOException {
        Set<String> present = new HashSet<>();
        for (String w : workloads) {
            present.add(ModelRegistry.workloadKey(w));
            String g = groups.get(w);
            if (g != null) {
                present.add(ModelRegistry.groupKey(g));
            }
        }
        Set<String> dropped = registry.dropDeparted(present, cutoff);
        if (!dropped.isEmpty()) {
            LOG.info("dropped models of departed workloads models={}", dropped.size());
        }
    }

    /** Asks for a training sooner than the schedule (a missed failure); {@link TrainingVerticle} takes it. */
    void ask() {
        asked.set(true);
    }

    /** Whether a training was asked for since the last call; clears it. */
    boolean takeAsked() {
        return asked.getAndSet(false);
    }

    /** Workload to group value, from the last training. */
    Map<String, String> groups() {
        return groups;
    }

    private Map<String, List<Interval>> failures(StepGrid grid) {
        String q = cfg.detection().failureQuery();
        if (q.isBlank()) {
            return new HashMap<>();
        }
        return FailureRuns.of(client.queryRange(q, grid.start(), grid.end(), grid.step()), cfg.workloads().label(), grid);
    }

    private Map<String, String> groups(StepGrid grid) {
        String label = cfg.detection().groupLabel();
        if (label.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (Map<String, String> labels : client.series(List.of(cfg.workloads().selector()), grid.start(), grid.end())) {
            String w = labels.get(cfg.workloads().label());
            String g = labels.get(label);
            if (w != null && g != null) {
                out.put(w, g);
            }
        }
        return Map.copyOf(out);
    }
}
