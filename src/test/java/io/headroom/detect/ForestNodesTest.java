package io.headroom.detect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForestNodesTest {

    @ParameterizedTest(name = "split at {0} in [{1}, {2}] -> {3}")
    @CsvSource({
            // t, min, max, expected threshold (NaN: no float separates min from max)
            "0.5, 0.0, 1.0, 0.5",
            "0.1, 0.0, 1.0, 0.10000000149011612", // the float nearest to 0.1
            "0.0, 0.0, 1.0, 0.0", // at min: min goes left, the rest right
            // 1e9 + 1 and 1e9 + 2 both round to the float 1e9; the next float up is 1e9 + 64.
            "1000000001.5, 1000000001.0, 1000000002.0, NaN",
            // 1e9 is a float and below max, so it still splits 1e9 from 1e9 + 1.
            "1000000000.5, 1000000000.0, 1000000001.0, 1000000000.0",
            // t's nearest float (1e9) lies below min (1e9 + 32): the next float up (1e9 + 64) is kept.
            "1000000040.0, 1000000032.0, 1000000100.0, 1000000064.0",
            // t's nearest float (1e9 + 64) is max itself: the float below it is kept.
            "1000000063.0, 1000000000.0, 1000000064.0, 1000000000.0",
            "1.0e39, 1.0e39, 2.0e39, NaN", // beyond a float's range
    })
    void aSplitIsMadeAtAFloatThatLeavesRowsOnBothSides(double t, double min, double max, double expected) {
        double split = ForestNodes.floatSplit(t, min, max);
        if (Double.isNaN(expected)) {
            assertThat(split).isNaN();
            return;
        }
        assertThat(split).isEqualTo(expected);
        assertThat((double) (float) split).isEqualTo(split);
        assertThat(split).isGreaterThanOrEqualTo(min).isLessThan(max);
    }

    @Test
    void valuesAFloatCannotTellApartShareALeaf() {
        // One tree on all rows, deep enough to isolate every distinct value: 0 and 1 each alone, while 1e12, 1e12 + 1
        // and 1e12 + 2 (a float's step there is 65,536) end in one leaf of three rows.
        double[] rows = {0.0, 1.0, 1e12, 1e12 + 1, 1e12 + 2};
        IsolationForest forest = IsolationForest.fit(rows, 5, 1, new IsolationForest.Settings(1, 5, 20, 1.0),
                new SplittableRandom(3));
        assertThat(forest.nodeCount()).isEqualTo(2 * 3 - 1);
        double[] scores = forest.scoreBatch(rows, 5, 1);
        assertThat(scores[2]).isEqualTo(scores[3]).isEqualTo(scores[4]);
        assertThat(scores[0]).isNotEqualTo(scores[2]);
        assertThat(scores[1]).isNotEqualTo(scores[2]);
    }

    @Test
    void aDefaultForestHoldsAboutSevenBytesANode() {
        double[] rows = TestData.gaussian(5_000, 12, 5);
        IsolationForest forest = IsolationForest.fit(rows, 5_000, 12, IsolationForest.Settings.defaults(),
                new SplittableRandom(5));
        // word 2 + threshold 4 + rows reached 1, and the per-forest tables.
        assertThat(forest.nodes().narrow).isNotNull();
        assertThat(forest.retainedBytes()).isBetween(7L * forest.nodeCount(), 8L * forest.nodeCount());
    }

    @ParameterizedTest(name = "{0} features, sample of {1} rows: {2} words")
    @CsvSource({"3, 256, narrow", "3, 2000, narrow", "64, 512, narrow", "65, 2000, wide", "3000, 64, wide"})
    void wordsTooWideForACharWalkTheSame(int features, int sampleSize, String form) {
        // A char leaves 16 bits less the feature's for a child's index in its tree: 64 columns leave 10, enough for
        // 512 rows' trees (at most 1,023 nodes); 65 leave 9, too few for 2,000 rows' (well over 512 nodes); 3,000
        // leave 4. Either form, the walks find every tree's path length.
        int n = Math.max(2 * sampleSize, 600);
        double[] rows = TestData.gaussian(n, features, 17);
        IsolationForest forest = IsolationForest.fit(rows, n, features,
                new IsolationForest.Settings(10, sampleSize, 0, 1.0), new SplittableRandom(17));
        ForestNodes nodes = forest.nodes();
        boolean fits = form.equals("narrow");
        assertThat(nodes.narrow != null).isEqualTo(fits);
        assertThat(nodes.wide != null).isEqualTo(!fits);
        double[] checked = new double[n];
        forest.pathLengthSums(rows, 0, n, checked, false);
        if (fits && UncheckedWalk.available()) {
            double[] unchecked = new double[n];
            forest.pathLengthSums(rows, 0, n, unchecked, true);
            assertThat(unchecked).containsExactly(checked);
        }
        // What the forest scores with (the unchecked walk for char words where the JVM has it, else the checked).
        double[] chosen = new double[n];
        forest.pathLengthSums(rows, 0, n, chosen);
        assertThat(chosen).containsExactly(checked);
        for (int r = 0; r < n; r += 37) {
            double expected = 0.0;
            for (int t = 0; t < forest.numTrees(); t++) {
                expected += forest.treePathLength(t, rows, r * features);
            }
            assertThat(checked[r]).as("row %d", r).isEqualTo(expected);
        }
    }

    @Test
    void aChildOutsideItsTreeKeepsIntWords() {
        // Tree 0 is nodes 0-1, tree 1 nodes 2-4; node 0's right child (2) is tree 1's root. The layout is valid as
        // written, but counted from tree 0's root a walk would leave it: such a forest keeps forest indices.
        int[] feature = {0, 0, 0, 0, 0};
        double[] threshold = {0.5, Double.POSITIVE_INFINITY, 0.5, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        int[] child = {1, 1, 3, 3, 4};
        double[] length = {0, 1, 0, 1, 1};
        int[] size = {2, 1, 2, 1, 1};
        IsolationForest forest = new IsolationForest(1, 2, 1, new int[] {0, 2}, new int[] {1, 1}, feature, threshold,
                child, length, size);
        assertThat(forest.nodes().narrow).isNull();
        assertThat(forest.nodes().child(0)).isEqualTo(1);
        // The same trees with tree 0 given a node of its own after its leaves: now both children are in it.
        IsolationForest fits = new IsolationForest(1, 2, 1, new int[] {0, 3}, new int[] {1, 1},
                new int[] {0, 0, 0, 0, 0, 0}, new double[] {0.5, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                    0.5, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                new int[] {1, 1, 2, 4, 4, 5}, new double[] {0, 1, 1, 0, 1, 1}, new int[] {2, 1, 1, 2, 1, 1});
        assertThat(fits.nodes().narrow).isNotNull();
        assertThat(fits.nodes().child(3)).isEqualTo(4);
        double[] rows = {0.0, 1.0};
        double[] checked = new double[2];
        fits.pathLengthSums(rows, 0, 2, checked, false);
        double[] chosen = new double[2];
        fits.pathLengthSums(rows, 0, 2, chosen);
        assertThat(chosen).containsExactly(checked);
    }

    @Test
    void aForestOfThousandsOfColumnsKeepsIntWords() {
        // 3,000 columns leave a char 4 bits of distance: a 64-row tree's children lie further on than that.
        double[] rows = TestData.gaussian(600, 3000, 19);
        IsolationForest forest = IsolationForest.fit(rows, 600, 3000, new IsolationForest.Settings(5, 64, 0, 1.0),
                new SplittableRandom(19));
        assertThat(forest.nodes().wide).isNotNull();
        assertThat(forest.retainedBytes()).isBetween(9L * forest.nodeCount(), 10L * forest.nodeCount() + 200);
    }

    @ParameterizedTest(name = "sample of {0} rows")
    @CsvSource({"256", "257", "2000"})
    void everyNodeKeepsTheRowsThatReachedIt(int sampleSize) {
        // A byte holds the count less one up to 256 rows, a char beyond: either way a root holds the whole sample
        // and every split's rows are its two children's.
        double[] rows = TestData.gaussian(4_000, 3, 13);
        IsolationForest forest = IsolationForest.fit(rows, 4_000, 3,
                new IsolationForest.Settings(20, sampleSize, 0, 1.0), new SplittableRandom(13));
        ForestNodes nodes = forest.nodes();
        int roots = 0;
        for (int n = 0; n < nodes.nodeCount(); n++) {
            assertThat(nodes.size(n)).isBetween(1, sampleSize);
            if (nodes.size(n) == sampleSize) {
                roots++;
            }
            if (!nodes.leaf(n)) {
                int left = nodes.child(n);
                assertThat(nodes.size(left) + nodes.size(left + 1)).as("node %d", n).isEqualTo(nodes.size(n));
            }
        }
        assertThat(roots).isEqualTo(20);
        // word 2 (3 features leave 14 bits of distance) + threshold 4 + rows reached 1, or 2 beyond 256 rows.
        long perNode = sampleSize <= 256 ? 7 : 8;
        assertThat(forest.retainedBytes()).isBetween(perNode * nodes.nodeCount(), (perNode + 1) * nodes.nodeCount());
    }

    @Test
    void everyLeafKeepsItsOwnPathLength() {
        // Thousands of leaves with hundreds of distinct lengths: each one's length is held in its threshold's NaN
        // payload, so a payload lost or shared would change a sum; the written form expands them back.
        double[] rows = TestData.gaussian(4_000, 3, 11);
        IsolationForest forest = IsolationForest.fit(rows, 4_000, 3, new IsolationForest.Settings(40, 2_000, 14, 1.0),
                new SplittableRandom(11));
        ForestNodes nodes = forest.nodes();
        java.util.Set<Double> distinct = new java.util.HashSet<>();
        for (int n = 0; n < nodes.nodeCount(); n++) {
            if (nodes.leaf(n)) {
                assertThat(Float.isNaN(nodes.threshold[n])).isTrue();
                assertThat(nodes.pathLength(n)).isGreaterThan(0.0);
                distinct.add(nodes.pathLength(n));
            } else {
                assertThat(nodes.pathLength(n)).isZero();
            }
        }
        assertThat(distinct).hasSizeGreaterThan(100);
        double[] sums = new double[4_000];
        forest.pathLengthSums(rows, 0, 4_000, sums, false);
        for (int r = 0; r < 4_000; r += 97) {
            double expected = 0.0;
            for (int t = 0; t < forest.numTrees(); t++) {
                expected += forest.treePathLength(t, rows, r * 3);
            }
            assertThat(sums[r]).isEqualTo(expected);
        }
    }

    @Test
    void aForestTooLargeForTheCompactLayoutIsRefusedWithTheReason() {
        // 2^20 features leave 11 bits for node indices: 2,048 nodes at most.
        assertThat(ForestNodes.limitProblem(1 << 20, 2_048)).isNull();
        assertThat(ForestNodes.limitProblem(1 << 20, 2_049)).contains("2049 nodes on 1048576 features");
        int nodes = 2_049;
        int[] feature = new int[nodes];
        double[] threshold = new double[nodes];
        int[] child = new int[nodes];
        double[] length = new double[nodes];
        int[] size = new int[nodes];
        for (int n = 0; n < nodes; n++) {
            child[n] = n;
            threshold[n] = Double.POSITIVE_INFINITY;
            length[n] = 1.0;
            size[n] = 1;
        }
        assertThatThrownBy(() -> new IsolationForest(1 << 20, 2, 1, new int[] {0}, new int[] {0}, feature, threshold,
                child, length, size)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not fit the compact layout");
    }
}
