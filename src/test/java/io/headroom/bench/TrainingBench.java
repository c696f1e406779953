package io.headroom.bench;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.detect.Retrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training of a fleet as the daemon runs it, without Prometheus: W workloads x the default preset's features of
 * seeded seasonal data over the default 7-day window at 30 s, the default detection config (auto scope), fed to a
 * {@link Retrainer} session batch by batch as {@code Training} fetches them, each batch built only when it is
 * fed. Prints one JSON object: workloads, models, skipped, seconds, the peak heap the JVM reports.
 *
 * <p>Run through {@code src/bench/scale-bench.sh}, which reads the process's peak RSS around it.
 */
public final class TrainingBench {

    private TrainingBench() {}

    public static void main(String[] args) throws Exception {
        int workloads = Integer.parseInt(args[0]);
        HeadroomConfig cfg = ConfigLoader.parse("", null);
        List<String> features = cfg.features().stream().map(f -> f.name()).toList();
        Instant now = Instant.parse("2026-11-30T00:00:00Z");
        StepGrid grid = StepGrid.aligned(now.minus(cfg.detection().trainingWindow()), now, cfg.collection().step());
        long started = System.nanoTime();
        Retrainer.Session session = new Retrainer(cfg.detection()).session(features, grid, Map.of(), now);
        for (int b = 0; b < workloads; b += Retrainer.BATCH_WORKLOADS) {
            session.add(batch(b, Math.min(workloads, b + Retrainer.BATCH_WORKLOADS), features, grid), Map.of());
        }
        Retrainer.Result r = session.finish();
        double seconds = (System.nanoTime() - started) / 1e9;
        // What stays once training is over: the models themselves, which the daemon keeps to score every cycle.
        System.gc();
        long retained = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf(Locale.ROOT, "{\"workloads\":%d,\"rows_per_workload\":%d,\"models\":%d,\"skipped\":%d,"
                        + "\"seconds\":%.1f,\"global_training_rows\":%d,\"heap_after_gc_mib\":%d,\"vm_hwm_kib\":%d}%n",
                workloads, grid.size(), r.models().size(), r.skipped().size(), seconds,
                r.models().get("global").trainingRows(), retained >> 20, hwmKib());
    }

    /** Workloads {@code [from, to)}: a daily cycle with its own phase per workload, seeded noise. */
    static FeatureMatrix batch(int from, int to, List<String> features, StepGrid grid) {
        int n = grid.size();
        int nf = features.size();
        double[] v = new double[(to - from) * n * nf];
        List<String> names = new java.util.ArrayList<>();
        for (int w = from; w < to; w++) {
            names.add(String.format("vm-%04d", w));
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
