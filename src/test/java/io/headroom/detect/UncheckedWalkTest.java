package io.headroom.detect;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The unchecked walk must give the checked walk's path-length sums bit for bit, or it is a different model. */
class UncheckedWalkTest {

    @Test
    void isAvailableOnTheJvmWeShipOn() {
        // Without this the comparisons below would quietly compare the checked walk with itself.
        assertThat(UncheckedWalk.available()).isTrue();
        IsolationForest forest = IsolationForest.fit(TestData.gaussian(500, 3, 1), 500, 3,
                IsolationForest.Settings.defaults(), new SplittableRandom(2));
        assertThat(forest.usesUncheckedWalk()).isTrue();
    }

    @Test
    void sumsAreBitIdenticalToTheCheckedWalkAcrossShapes() {
        SplittableRandom rng = new SplittableRandom(42);
        int[] featureCounts = {1, 2, 3, 8, 13};
        int[] rowCounts = {1, 7, 8, 9, 15, 16, 17, 33, 255, 256, 257, 1_003};
        for (int nf : featureCounts) {
            double[] train = TestData.gaussian(2_000, nf, rng.nextLong());
            IsolationForest.Settings settings = new IsolationForest.Settings(1 + rng.nextInt(60),
                    2 + rng.nextInt(300), rng.nextInt(12), nf == 1 ? 1.0 : 0.5 + rng.nextDouble() * 0.5);
            IsolationForest forest = IsolationForest.fit(train, 2_000, nf, settings, new SplittableRandom(nf));
            for (int nRows : rowCounts) {
                double[] rows = withExtremes(TestData.gaussian(nRows, nf, rng.nextLong()), rng);
                assertIdentical(forest, rows, 0, nRows, "nf=" + nf + " rows=" + nRows);
                if (nRows > 10) {
                    // Parallel scoring hands each task a sub-range that starts mid-array.
                    assertIdentical(forest, rows, 3, nRows - 2, "nf=" + nf + " rows=3.." + (nRows - 2));
                }
            }
        }
    }

    @Test
    void aDeserializedForestWalksUncheckedToTheSameScores() throws Exception {
        double[] rows = TestData.gaussian(3_000, 5, 7);
        IsolationForest forest = IsolationForest.fit(rows, 3_000, 5, IsolationForest.Settings.defaults(), new SplittableRandom(8));
        IsolationForest loaded = TestData.deserialize(TestData.serialize(forest), IsolationForest.class);
        assertThat(loaded.usesUncheckedWalk()).isTrue();
        assertThat(loaded.scoreBatch(rows, 3_000, 5)).isEqualTo(forest.scoreBatch(rows, 3_000, 5));
        assertIdentical(loaded, rows, 0, 3_000, "deserialized");
    }

    @Test
    void aForestWithABrokenLayoutNeverWalksUnchecked() {
        // Unchecked reads would leave the node arrays, so the forest must not offer them.
        IsolationForest broken = TestData.forestWithChildPastTheArrays();
        assertThat(broken.usesUncheckedWalk()).isFalse();
        assertThatThrownBy(() -> broken.pathLengthSums(new double[] {1.0, 1.0}, 0, 1, new double[1], true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not available");
        assertThatThrownBy(() -> broken.scoreBatch(new double[] {1.0, 1.0}, 1, 2))
                .isInstanceOf(ArrayIndexOutOfBoundsException.class);
    }

    @Test
    void tiesGoLeftAndASingleLeafTreeAddsItsLength() {
        // Tree 0: root splits feature 1 at 0.5 (left leaf 1.0; right node splits feature 0 at -0.25 into leaves
        // 2.0 and 3.0). Tree 1 is one leaf of 0.75, walked in zero steps.
        IsolationForest forest = new IsolationForest(2, 4, 2, new int[] {0, 5}, new int[] {2, 0},
                new int[] {1, 0, 0, 0, 0, 0},
                new double[] {0.5, Double.POSITIVE_INFINITY, -0.25, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                        Double.POSITIVE_INFINITY},
                new int[] {1, 1, 3, 3, 4, 5}, new double[] {0, 1.0, 0, 2.0, 3.0, 0.75}, new int[] {4, 2, 2, 1, 1, 4});
        assertThat(forest.usesUncheckedWalk()).isTrue();
        double[][] cases = {
                {0.0, 0.5, 1.75}, // equal to the root threshold: left
                {0.0, Math.nextUp(0.5), 3.75}, // just above it: right, then right
                {-0.25, 1.0, 2.75}, // equal to the second threshold: left
                {Double.NaN, Double.NaN, 1.75}, // NaN compares false: left
                {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 3.75},
                {-0.0, Double.NEGATIVE_INFINITY, 1.75},
        };
        int nRows = 37; // two full groups of sixteen and a tail
        double[] rows = new double[2 * nRows];
        double[] expected = new double[nRows];
        for (int r = 0; r < nRows; r++) {
            double[] c = cases[r % cases.length];
            rows[2 * r] = c[0];
            rows[2 * r + 1] = c[1];
            expected[r] = c[2];
        }
        double[] unchecked = new double[nRows];
        forest.pathLengthSums(rows, 0, nRows, unchecked, true);
        assertThat(unchecked).containsExactly(expected);
        assertIdentical(forest, rows, 0, nRows, "hand-built forest");
    }

    private static void assertIdentical(IsolationForest forest, double[] rows, int from, int to, String what) {
        double[] checked = new double[to];
        double[] unchecked = new double[to];
        forest.pathLengthSums(rows, from, to, checked, false);
        forest.pathLengthSums(rows, from, to, unchecked, true);
        for (int r = from; r < to; r++) {
            assertThat(Double.doubleToRawLongBits(unchecked[r])).as(what + " row " + r)
                    .isEqualTo(Double.doubleToRawLongBits(checked[r]));
        }
        assertThat(checked[to - 1]).as(what + ": the walk produced sums").isPositive();
    }

    /** Rows beyond every threshold, exactly on zero, and NaN (which goes left) walk like any other row. */
    private static double[] withExtremes(double[] rows, SplittableRandom rng) {
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1e300, -1e300};
        for (int i = 0; i < rows.length; i += 5) {
            rows[i] = specials[rng.nextInt(specials.length)];
        }
        return rows;
    }
}
