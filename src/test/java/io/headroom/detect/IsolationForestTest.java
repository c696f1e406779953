package io.headroom.detect;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class IsolationForestTest {
    private static final IsolationForest.Settings DEFAULTS = IsolationForest.Settings.defaults();

    @Test
    void averagePathLengthMatchesScikitLearn() {
        // Values printed by numpy with scikit-learn's _average_path_length formula.
        assertThat(IsolationForest.averagePathLength(1)).isEqualTo(0.0);
        assertThat(IsolationForest.averagePathLength(2)).isEqualTo(1.0);
        assertThat(IsolationForest.averagePathLength(256)).isCloseTo(10.244770920119917, within(1e-12));
    }

    @Test
    void twoRowsAreEachIsolatedAtDepthOneAndScoreOneHalf() {
        // psi = 2: every tree splits once, both leaves hold one row at depth 1, c(2) = 1, so s = 2^-1.
        double[] rows = {0.0, 0.0, 1.0, 1.0};
        IsolationForest forest = IsolationForest.fit(rows, 2, 2, DEFAULTS, new SplittableRandom(1));
        assertThat(forest.sampleSize()).isEqualTo(2);
        assertThat(forest.maxDepth()).isEqualTo(1);
        assertThat(forest.scoreBatch(rows, 2, 2)).containsExactly(0.5, 0.5);
    }

    @Test
    void defaultDepthIsCeilLog2OfSampleSize() {
        assertThat(ForestBuilder.autoDepth(256)).isEqualTo(8);
        assertThat(ForestBuilder.autoDepth(257)).isEqualTo(9);
        assertThat(ForestBuilder.autoDepth(1)).isEqualTo(1);
        assertThat(ForestBuilder.autoDepth(3)).isEqualTo(2);
    }

    @Test
    void meanScoreOfGaussianDataMatchesScikitLearn() {
        // scikit-learn 1.2.1, IsolationForest(100 trees, 256 samples) fitted on 20,000 x 8 N(0,1) rows
        // and scoring them: mean(-score_samples) over 20 seeds = 0.44505, sd 0.0034 between forests.
        // Ten forests here put the tolerance at about 3.5 standard errors. Checks the depth limit, c(n)
        // and the normalisation together.
        double[] rows = TestData.gaussian(20_000, 8, 11);
        double total = 0.0;
        for (int seed = 0; seed < 10; seed++) {
            IsolationForest forest = IsolationForest.fit(rows, 20_000, 8, DEFAULTS, new SplittableRandom(seed));
            total += Arrays.stream(forest.scoreBatch(rows, 20_000, 8)).average().orElseThrow();
        }
        assertThat(total / 10).isCloseTo(0.44505, within(0.004));
    }

    @Test
    void injectedOutliersFillTheTopScores() {
        // Unsupervised use as in Liu et al.: the outliers are part of the data the forest is grown on.
        // They sit at radius 7 in random directions, so each is extreme in several coordinates at once.
        int nf = 4;
        int clean = 2_000;
        int injected = 20;
        double[] rows = Arrays.copyOf(TestData.gaussian(clean, nf, 1), (clean + injected) * nf);
        double[] directions = TestData.gaussian(injected, nf, 4);
        for (int i = 0; i < injected; i++) {
            double norm = 0.0;
            for (int j = 0; j < nf; j++) {
                norm += directions[i * nf + j] * directions[i * nf + j];
            }
            for (int j = 0; j < nf; j++) {
                rows[(clean + i) * nf + j] = 7.0 * directions[i * nf + j] / Math.sqrt(norm);
            }
        }
        IsolationForest forest = IsolationForest.fit(rows, clean + injected, nf, DEFAULTS, new SplittableRandom(2));
        double[] scores = forest.scoreBatch(rows, clean + injected, nf);
        double cutoff = TestData.upperQuantile(scores, 1.0 - injected / (double) (clean + injected));
        long outliersFlagged = java.util.stream.IntStream.range(clean, clean + injected).filter(r -> scores[r] > cutoff).count();
        long cleanFlagged = java.util.stream.IntStream.range(0, clean).filter(r -> scores[r] > cutoff).count();
        // Exact for this seed, as in Tribuo's trainer tests (scikit-learn finds 11-19 of 20 on such data
        // depending on its seed); a change here means the algorithm changed.
        assertThat(outliersFlagged).isEqualTo(18);
        assertThat(cleanFlagged).isEqualTo(2);
    }

    @Test
    void sameSeedGivesIdenticalScoresAndOtherSeedsDiffer() {
        double[] rows = TestData.gaussian(3_000, 5, 7);
        double[] a = IsolationForest.fit(rows, 3_000, 5, DEFAULTS, new SplittableRandom(42)).scoreBatch(rows, 3_000, 5);
        double[] b = IsolationForest.fit(rows, 3_000, 5, DEFAULTS, new SplittableRandom(42)).scoreBatch(rows, 3_000, 5);
        double[] c = IsolationForest.fit(rows, 3_000, 5, DEFAULTS, new SplittableRandom(43)).scoreBatch(rows, 3_000, 5);
        assertThat(b).containsExactly(a);
        assertThat(Arrays.equals(a, c)).isFalse();
    }

    @Test
    void batchSingleRowAndParallelScoresAreBitIdentical() throws InterruptedException {
        int n = 40_003; // not a multiple of the 4-row interleave, the 256-row block or the task size
        double[] rows = TestData.gaussian(n, 3, 8);
        IsolationForest forest = IsolationForest.fit(rows, n, 3, DEFAULTS, new SplittableRandom(9));
        double[] batch = forest.scoreBatch(rows, n, 3);
        double[] parallel = new double[n];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            forest.scoreBatch(rows, n, 3, parallel, pool);
        } finally {
            pool.shutdownNow();
        }
        assertThat(parallel).containsExactly(batch);
        for (int r = 0; r < n; r += 997) {
            assertThat(forest.score(Arrays.copyOfRange(rows, r * 3, r * 3 + 3))).isEqualTo(batch[r]);
        }
    }

    @Test
    void attributionCreditsTheFeatureThatIsAnomalous() {
        int nf = 4;
        double[] train = TestData.gaussian(2_000, nf, 21);
        IsolationForest forest = IsolationForest.fit(train, 2_000, nf, DEFAULTS, new SplittableRandom(22));
        double[] onlyFeature2 = {0.1, -0.2, 6.0, 0.3};
        double[] shares = forest.attribution(onlyFeature2);
        assertThat(Arrays.stream(shares).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(argMax(shares)).isEqualTo(2);
        // Another feature, another sign: the credit follows the anomaly, not a favourite column.
        assertThat(argMax(forest.attribution(new double[] {-6.0, 0.2, 0.0, -0.1}))).isEqualTo(0);
    }

    @Test
    void attributionOfAnUnsplitForestIsAllZero() {
        double[] constant = new double[20];
        IsolationForest forest = IsolationForest.fit(constant, 10, 2, DEFAULTS, new SplittableRandom(1));
        assertThat(forest.attribution(new double[] {0.0, 0.0})).containsExactly(0.0, 0.0);
        // All ten rows share one leaf per tree: depth 0 + c(10), the same as the normaliser c(10).
        assertThat(forest.score(new double[] {0.0, 0.0})).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void depthLimitAndFeatureFractionShapeTheTrees() {
        double[] rows = TestData.gaussian(1_000, 4, 31);
        IsolationForest stumps = IsolationForest.fit(rows, 1_000, 4, new IsolationForest.Settings(50, 256, 1, 1.0),
                new SplittableRandom(1));
        assertThat(stumps.nodeCount()).isEqualTo(50 * 3);
        // With a quarter of four features, each tree splits on one feature only: a row extreme in
        // feature 1 gets credit on feature 1 alone from the trees that drew it.
        IsolationForest narrow = IsolationForest.fit(rows, 1_000, 4, new IsolationForest.Settings(50, 256, 0, 0.25),
                new SplittableRandom(1));
        assertThat(argMax(narrow.attribution(new double[] {0.0, 8.0, 0.0, 0.0}))).isEqualTo(1);
    }

    @Test
    void rejectsBadInput() {
        double[] rows = {1.0, Double.NaN};
        assertThatThrownBy(() -> IsolationForest.fit(rows, 1, 2, DEFAULTS, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
        IsolationForest forest = IsolationForest.fit(new double[] {1, 2, 3, 4}, 2, 2, DEFAULTS, new SplittableRandom(1));
        assertThatThrownBy(() -> forest.scoreBatch(new double[6], 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 features");
        assertThatThrownBy(() -> forest.scoreBatch(new double[3], 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 4 values");
        assertThatThrownBy(() -> new IsolationForest.Settings(0, 256, 0, 1.0))
                .hasMessageContaining("numTrees");
    }

    @Test
    void deserializationRejectsABrokenLayout() throws Exception {
        IsolationForest broken = TestData.forestWithChildPastTheArrays();
        byte[] bytes = TestData.serialize(broken);
        assertThatThrownBy(() -> TestData.deserialize(bytes, IsolationForest.class))
                .isInstanceOf(java.io.InvalidObjectException.class).hasMessageContaining("node 0 has child 5");
    }

    @Test
    void floydSampleIsDistinctAndInRange() {
        int[] sample = ForestBuilder.drawSample(1_000_000, 256, new SplittableRandom(3));
        assertThat(Arrays.stream(sample).distinct().count()).isEqualTo(256);
        assertThat(Arrays.stream(sample).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(Arrays.stream(sample).max().orElseThrow()).isLessThan(1_000_000);
    }

    static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
