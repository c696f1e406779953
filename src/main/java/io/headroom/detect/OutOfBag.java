package io.headroom.detect;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Out-of-bag scores of the training rows: each row is scored only by the trees that did not see it.
 *
 * <p>A tree isolates its own sample rows by construction, so in-bag scores of training rows come out
 * lower than scores of unseen rows from the same workload. Thresholds and calibration derived from
 * them would flag clean new data too often, and the effect is large exactly when a workload has
 * little history (a day of one-minute samples puts each row in about a fifth of 256-row trees).
 *
 * <p>Large training sets are scored on a seeded sample of {@value #MAX_ROWS} rows: the 0.995 quantile
 * is then estimated from 500 rows above it, plenty for a threshold, and training a million-row model
 * does not pay for a full extra scoring pass.
 */
final class OutOfBag {
    /** Most training rows scored; above this a seeded sample is drawn. */
    static final int MAX_ROWS = 100_000;

    /**
     * @param rows   the scored training rows, row-major (all rows, the caller's array itself, or the sample)
     * @param scores their out-of-bag scores
     */
    record Scores(double[] rows, double[] scores) {
    }

    private OutOfBag() {
    }

    /**
     * Scores all training rows, or a sample of {@value #MAX_ROWS} drawn with {@code rng} when there
     * are more; {@code rng} is untouched otherwise, so small data sets train exactly as before.
     */
    static Scores score(ForestBuilder.Result fit, double[] rows, int nRows, int nFeatures, SplittableRandom rng) {
        int m = Math.min(nRows, MAX_ROWS);
        double[] sub;
        int[] position = new int[nRows];
        if (nRows <= MAX_ROWS) {
            // Every row: scored where it is, not copied (a week of one workload is 8 MB at 48 columns).
            sub = rows;
            Arrays.setAll(position, i -> i);
        } else {
            int[] picked = ForestBuilder.drawSample(nRows, MAX_ROWS, rng);
            Arrays.sort(picked);
            sub = new double[m * nFeatures];
            Arrays.fill(position, -1);
            for (int i = 0; i < m; i++) {
                System.arraycopy(rows, picked[i] * nFeatures, sub, i * nFeatures, nFeatures);
                position[picked[i]] = i;
            }
        }

        IsolationForest forest = fit.forest();
        int numTrees = forest.numTrees();
        double[] sums = new double[m];
        forest.pathLengthSums(sub, 0, m, sums);
        int[] inBag = new int[m];
        int[][] samples = fit.samples();
        for (int t = 0; t < numTrees; t++) {
            for (int row : samples[t]) {
                int i = position[row];
                if (i >= 0) {
                    sums[i] -= forest.treePathLength(t, sub, i * nFeatures);
                    inBag[i]++;
                }
            }
        }
        double[] scores = new double[m];
        for (int i = 0; i < m; i++) {
            int outOfBag = numTrees - inBag[i];
            // A row every tree saw (tiny data sets) has no out-of-bag trees; its in-bag score is all there is.
            scores[i] = outOfBag > 0
                    ? forest.scoreFromPathSum(sums[i], outOfBag)
                    : forest.scoreRow(sub, i * nFeatures);
        }
        return new Scores(sub, scores);
    }
}
