package io.headroom.detect;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Benchmark main (not a test): fits and scores the rows in a little-endian float64 file that
 * {@code src/bench/sklearn_iforest.py make-data} wrote, so both sides time the same data.
 * Run through {@code src/bench/iforest-bench.sh}, which compares the result with scikit-learn.
 *
 * <p>A plain main rather than JMH: each measurement is a whole second-scale fit or pass over a million
 * rows, so timer resolution and dead-code elimination are not the risk; JIT warm-up is, and the
 * warm-up rounds below cover it. Reports medians of the timed runs as one JSON object.
 *
 * <p>Arguments: {@code dataFile rows features runs threads}.
 */
public final class IsolationForestBench {
    private IsolationForestBench() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path path = Path.of(args[0]);
        int nRows = Integer.parseInt(args[1]);
        int nFeatures = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        double[] rows = read(path, nRows * nFeatures);
        IsolationForest.Settings settings = IsolationForest.Settings.defaults();
        double[] out = new double[nRows];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // Warm-up: enough calls for C2 to compile the fit and scoring loops before timing.
            int warmRows = Math.min(nRows, 200_000);
            for (int i = 0; i < 5; i++) {
                ForestBuilder.Result fit = ForestBuilder.build(rows, warmRows, nFeatures, settings, new SplittableRandom(100 + i));
                fit.forest().scoreBatch(rows, warmRows, nFeatures, out);
                fit.forest().scoreBatch(rows, warmRows, nFeatures, out, pool);
                OutOfBag.score(fit, rows, warmRows, nFeatures, new SplittableRandom(i));
            }
            double[] fitS = new double[runs];
            double[] oobS = new double[runs];
            double[] score1S = new double[runs];
            double[] scoreNS = new double[runs];
            double checksum = 0.0;
            for (int run = 0; run < runs; run++) {
                long t0 = System.nanoTime();
                ForestBuilder.Result fit = ForestBuilder.build(rows, nRows, nFeatures, settings, new SplittableRandom(run));
                long t1 = System.nanoTime();
                // What IsolationForestTrainer adds to the fit: out-of-bag scores (sampled) and the calibration.
                OutOfBag.Scores oob = OutOfBag.score(fit, rows, nRows, nFeatures, new SplittableRandom(run));
                Calibration.fromTrainingScores(oob.scores(), Calibration.DEFAULT_QUANTILE, Calibration.DEFAULT_MARGIN);
                long t2 = System.nanoTime();
                fit.forest().scoreBatch(rows, nRows, nFeatures, out);
                long t3 = System.nanoTime();
                double single = mean(out);
                fit.forest().scoreBatch(rows, nRows, nFeatures, out, pool);
                long t4 = System.nanoTime();
                if (mean(out) != single) {
                    throw new IllegalStateException("parallel scores differ from single-threaded scores");
                }
                checksum = single;
                fitS[run] = (t1 - t0) / 1e9;
                oobS[run] = (t2 - t1) / 1e9;
                score1S[run] = (t3 - t2) / 1e9;
                scoreNS[run] = (t4 - t3) / 1e9;
                System.err.printf(Locale.ROOT, "java run %d: fit %.4fs oob+calibration %.3fs score(1 thread) %.3fs score(%d threads) %.3fs%n",
                        run, fitS[run], oobS[run], score1S[run], threads, scoreNS[run]);
            }
            System.out.printf(Locale.ROOT,
                    "{\"rows\": %d, \"features\": %d, \"runs\": %d, \"threads\": %d, \"fit_median_s\": %.6f, "
                            + "\"oob_calibration_median_s\": %.6f, \"score_1thread_median_s\": %.6f, "
                            + "\"score_nthreads_median_s\": %.6f, \"mean_score_last_run\": %.6f, \"unchecked_walk\": %b}%n",
                    nRows, nFeatures, runs, threads, median(fitS), median(oobS), median(score1S), median(scoreNS), checksum,
                    UncheckedWalk.available());
        } finally {
            pool.shutdownNow();
        }
    }

    private static double[] read(Path path, int values) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            double[] rows = new double[values];
            channel.map(FileChannel.MapMode.READ_ONLY, 0, (long) values * Double.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(rows);
            return rows;
        }
    }

    private static double mean(double[] values) {
        double sum = 0.0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
