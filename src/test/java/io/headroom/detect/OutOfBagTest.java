package io.headroom.detect;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OutOfBagTest {

    @Test
    void eachRowIsScoredByTheTreesThatDidNotSampleIt() {
        int n = 600;
        int nf = 3;
        double[] rows = TestData.gaussian(n, nf, 1);
        ForestBuilder.Result fit = ForestBuilder.build(rows, n, nf, IsolationForest.Settings.defaults(), new SplittableRandom(2));

        OutOfBag.Scores oob = OutOfBag.score(fit, rows, n, nf, new SplittableRandom(3));

        assertThat(oob.rows()).containsExactly(rows);
        for (int r = 0; r < n; r += 37) {
            assertThat(oob.scores()[r]).as("row %d", r).isCloseTo(explicitOutOfBag(fit, rows, r, nf), within(1e-12));
        }
        // Rows the trees never saw score higher than in-bag on average: the bias OOB removes.
        double inBagMean = Arrays.stream(fit.forest().scoreBatch(rows, n, nf)).average().orElseThrow();
        assertThat(Arrays.stream(oob.scores()).average().orElseThrow()).isGreaterThan(inBagMean);
    }

    @Test
    void largeTrainingSetsAreScoredOnASeededSample() {
        int n = OutOfBag.MAX_ROWS + 20_000;
        int nf = 2;
        double[] rows = TestData.gaussian(n, nf, 4);
        ForestBuilder.Result fit = ForestBuilder.build(rows, n, nf, IsolationForest.Settings.defaults(), new SplittableRandom(5));

        OutOfBag.Scores a = OutOfBag.score(fit, rows, n, nf, new SplittableRandom(6));
        OutOfBag.Scores b = OutOfBag.score(fit, rows, n, nf, new SplittableRandom(6));

        assertThat(a.scores()).hasSize(OutOfBag.MAX_ROWS).containsExactly(b.scores());
        assertThat(a.rows()).hasSize(OutOfBag.MAX_ROWS * nf).containsExactly(b.rows());
        // The sampled rows keep their training identity: the first one is found among the training rows
        // and its out-of-bag score is the one computed from scratch.
        int original = indexOf(rows, a.rows()[0], a.rows()[1], nf);
        assertThat(a.scores()[0]).isCloseTo(explicitOutOfBag(fit, rows, original, nf), within(1e-12));
    }

    private static double explicitOutOfBag(ForestBuilder.Result fit, double[] rows, int row, int nf) {
        IsolationForest forest = fit.forest();
        double sum = 0.0;
        int trees = 0;
        for (int t = 0; t < forest.numTrees(); t++) {
            int[] sample = fit.samples()[t];
            if (Arrays.stream(sample).noneMatch(s -> s == row)) {
                sum += forest.treePathLength(t, rows, row * nf);
                trees++;
            }
        }
        return forest.scoreFromPathSum(sum, trees);
    }

    private static int indexOf(double[] rows, double first, double second, int nf) {
        for (int r = 0; r * nf < rows.length; r++) {
            if (rows[r * nf] == first && rows[r * nf + 1] == second) {
                return r;
            }
        }
        throw new AssertionError("row not found");
    }
}
