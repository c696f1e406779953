package io.headroom.bench;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.cycle.BatchTraining;
import io.headroom.detect.ModelRegistry;
import io.headroom.detect.Retrainer;
import io.headroom.detect.WorkloadModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two trainings of a fleet as the daemon runs them, without Prometheus: W workloads x the default preset's features
 * of seeded seasonal data over the default 7-day window at 30 s, the default detection config (auto scope), through
 * {@link BatchTraining} into a model registry in a temp dir (each batch built only when it is asked for, models
 * swapped in batch by batch, within the model memory budget), the second while the first one's models are held.
 * Prints one JSON object per training: models, skipped, over budget, seconds, the models' estimated heap, the heap
 * after a full GC and the peak RSS.
 *
 * <p>Run through {@code src/bench/scale-bench.sh}, which reads the process's peak RSS around it.
 */
public final class TrainingBench {

    private TrainingBench() {}

    public static void main(String[] args) throws Exception {
        int workloads = Integer.parseInt(args[0]);
        HeadroomConfig cfg = ConfigLoader.parse("", null);
        List<String> features = cfg.features().stream().map(f -> f.name()).toList();
        List<String> fleet = new java.util.ArrayList<>();
        for (int w = 0; w < workloads; w++) {
            fleet.add(name(w));
        }
        Path state = Files.createTempDirectory("headroom-training-bench");
        try {
            ModelRegistry registry = new ModelRegistry(state);
            // Twice, as the daemon does: the second training runs while the first one's models are held.
            for (int round = 1; round <= 2; round++) {
                train(round, cfg, features, fleet, registry);
            }
        } finally {
            try (var files = Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One training; its result goes out of scope with it, as in the daemon, which keeps only the registry. */
    private static void train(int round, HeadroomConfig cfg, List<String> features, List<String> fleet,
                              ModelRegistry registry) throws Exception {
        Instant now = Instant.parse("2026-11-30T00:00:00Z").plus(Duration.ofHours(round - 1));
        StepGrid grid = StepGrid.aligned(now.minus(cfg.detection().trainingWindow()), now, cfg.collection().step());
        long started = System.nanoTime();
        Retrainer.Result r = BatchTraining.train(cfg.detection(), fleet, features, grid, Map.of(), Map.of(), now,
                (batch, whole) -> batch(fleet.indexOf(batch.get(0)), fleet.indexOf(batch.get(0)) + batch.size(),
                        features, grid), registry);
        double seconds = (System.nanoTime() - started) / 1e9;
        // What stays once training is over: the models themselves, which the daemon keeps to score every cycle.
        System.gc();
        long retained = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long held = registry.all().values().stream().mapToLong(WorkloadModel::retainedBytes).sum();
        System.out.printf(Locale.ROOT, "{\"round\":%d,\"workloads\":%d,\"rows_per_workload\":%d,\"models\":%d,"
                        + "\"skipped\":%d,\"over_budget\":%d,\"seconds\":%.1f,\"global_training_rows\":%d,"
                        + "\"models_mib\":%d,\"heap_after_gc_mib\":%d,\"vm_hwm_kib\":%d}%n",
                round, fleet.size(), grid.size(), r.models().size(), r.skipped().size(), r.overBudget(), seconds,
                r.models().get("global").trainingRows(), held >> 20, retained >> 20, hwmKib());
    }

    static String name(int w) {
        return String.format("vm-%04d", w);
    }

    /** Workloads {@code [from, to)}: a daily cycle with its own phase per workload, seeded noise. */
    static FeatureMatrix batch(int from, int to, List<String> features, StepGrid grid) {
        int n = grid.size();
        int nf = features.size();
        double[] v = new double[(to - from) * n * nf];
        List<String> names = new java.util.ArrayList<>();
        for (int w = from; w < to; w++) {
            names.add(name(w));
            java.util.SplittableRandom rng = new java.util.SplittableRandom(w);
            int base = (w - from) * n * nf;
            for (int s = 0; s < n; s++) {
                double day = Math.sin(2 * Math.PI * grid.timestampAt(s) / 86_400_000.0 + w);
                for (int f = 0; f < nf; f++) {
                    v[base + s * nf + f] = (f + 1) * (1 + 0.3 * day) + 0.05 * rng.nextGaussian();
                }
            }
        }
        return new FeatureMatrix(names, features, grid, v);
    }

    /** The process's peak resident set (VmHWM), or -1 where /proc is not there. */
    private static long hwmKib() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
