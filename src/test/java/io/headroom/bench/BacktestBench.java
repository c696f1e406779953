package io.headroom.bench;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.detect.Backtest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The replay alone (no Prometheus): W workloads x 8 features of seeded seasonal data at 30 s, a 1-day training
 * window retrained every 6 h, replayed over D days with the daemon's 30 s cycle and 1 h lookback, on 1 thread and
 * on T threads. Prints one JSON object with the wall time, rows per second and trainings of each.
 *
 * <p>Run through {@code src/bench/backtest-bench.sh}.
 */
public final class BacktestBench {

    private BacktestBench() {}

    public static void main(String[] args) throws Exception {
        int workloads = Integer.parseInt(args[0]);
        int days = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        HeadroomConfig cfg = ConfigLoader.parse("""
                collection: {interval: 30s, step: 30s, lookback: 1h}
                detection: {training_window: 1d, retrain_every: 6h}
                """, null);
        List<String> features = cfg.features().stream().map(f -> f.name()).toList();
        Set<String> counters = Set.of();
        Instant from = Instant.parse("2026-01-02T00:00:00Z");
        Instant to = from.plus(Duration.ofDays(days));
        StringBuilder json = new StringBuilder("{\"workloads\":" + workloads + ",\"features\":" + features.size()
                + ",\"days\":" + days);
        for (int t : new int[] {1, threads}) {
            Backtest bt = new Backtest(new Backtest.Settings(cfg.detection(), cfg.collection().step(),
                    cfg.collection().lookback(), cfg.collection().interval(), counters, t));
            StepGrid grid = bt.plan(from, to).history();
            FeatureMatrix history = matrix(workloads, features, grid);
            long started = System.nanoTime();
            long[] rows = {0};
            Backtest.Summary s = bt.run(history, Map.of(), List.of(), from, to, r -> rows[0]++);
            double seconds = (System.nanoTime() - started) / 1e9;
            json.append(String.format(Locale.ROOT, ",\"threads_%d\":{\"seconds\":%.2f,\"rows\":%d,\"rows_per_second\":%.0f,"
                    + "\"trainings\":%d,\"scored\":%d}", t, seconds, rows[0], rows[0] / seconds, s.trainings().size(), s.scored()));
        }
        System.out.println(json.append('}'));
    }

    static FeatureMatrix matrix(int workloads, List<String> features, StepGrid grid) {
        int n = grid.size();
        int nf = features.size();
        double[] v = new double[workloads * n * nf];
        List<String> names = new ArrayList<>();
        for (int w = 0; w < workloads; w++) {
            names.add(String.format("vm-%04d", w));
            SplittableRandom rng = new SplittableRandom(w);
            for (int s = 0; s < n; s++) {
                double day = Math.sin(2 * Math.PI * grid.timestampAt(s) / 86_400_000.0 + w);
                for (int f = 0; f < nf; f++) {
                    v[(w * n + s) * nf + f] = (f + 1) * (1 + 0.3 * day) + 0.05 * rng.nextGaussian();
                }
            }
        }
        return new FeatureMatrix(names, features, grid, v);
    }
}
