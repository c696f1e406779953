package io.headroom.detect;

/**
 * Out-of-bag scores of the training rows: each row is scored only by the trees that did not see it.
 *
 * <p>A tree isolates its own sample rows by construction, so in-bag scores of training rows come out
 * lower than scores of unseen rows from the same workload. Thresholds and calibration derived from
 * them would flag clean new data too often, and the effect is large exactly when a workload has
 * little history (a day of one-minute samples puts each row in about a fifth of 256-row trees).
 */
final class OutOfBag {
    private OutOfBag() {
    }

    static double[] scores(ForestBuilder.Result fit, double[] rows, int nRows, int nFeatures) {
        IsolationForest forest = fit.forest();
        int numTrees = forest.numTrees();
        double[] sums = new double[nRows];
        forest.pathLengthSums(rows, 0, nRows, sums);
        int[] inBag = new int[nRows];
        int[][] samples = fit.samples();
        for (int t = 0; t < numTrees; t++) {
            for (int row : samples[t]) {
                sums[row] -= forest.treePathLength(t, rows, row * nFeatures);
                inBag[row]++;
            }
        }
        double[] scores = new double[nRows];
        for (int r = 0; r < nRows; r++) {
            int outOfBag = numTrees - inBag[r];
            // A row every tree saw (tiny data sets) has no out-of-bag trees; its in-bag score is all there is.
            scores[r] = outOfBag > 0
                    ? forest.scoreFromPathSum(sums[r], outOfBag)
                    : forest.scoreRow(rows, r * nFeatures);
        }
        return scores;
    }
}
