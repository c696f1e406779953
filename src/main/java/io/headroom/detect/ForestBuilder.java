package io.headroom.detect;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Grows the trees of an {@link IsolationForest} into its flat node arrays.
 *
 * <p>Children of a node are allocated as an adjacent pair (left, left + 1) so the scorer needs one
 * child index per node. Leaves point at themselves with an infinite threshold (held as a NaN, see
 * {@link ForestNodes}) so the scorer can walk a fixed number of steps per tree without testing for leaves.
 */
final class ForestBuilder {

    /**
     * A forest plus the training rows each tree saw, which the trainer needs for out-of-bag scores.
     *
     * @param forest  the trained forest
     * @param samples {@code samples[t]} holds the row indices tree {@code t} was grown on
     */
    record Result(IsolationForest forest, int[][] samples) {
    }

    private ForestBuilder() {
    }

    static Result build(double[] rows, int nRows, int nFeatures, IsolationForest.Settings settings, SplittableRandom rng) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(rng, "rng");
        if (nRows < 1 || nFeatures < 1) {
            throw new IllegalArgumentException("need at least one row and one feature, got " + nRows + " x " + nFeatures);
        }
        long values = (long) nRows * nFeatures;
        if (values > rows.length) {
            throw new IllegalArgumentException(nRows + " rows of " + nFeatures + " features need " + values
                    + " values, array has " + rows.length);
        }
        for (int i = 0; i < values; i++) {
            if (!Double.isFinite(rows[i])) {
                // min/max splits cannot place NaN or infinity, and silently skipping them would bias the trees.
                throw new IllegalArgumentException("row " + i / nFeatures + " feature " + i % nFeatures
                        + " is not finite: " + rows[i]);
            }
        }

        int psi = Math.min(settings.sampleSize(), nRows);
        int maxDepth = settings.maxDepth() > 0 ? settings.maxDepth() : autoDepth(psi);
        int featuresPerTree = Math.max(1, (int) (settings.featureFraction() * nFeatures));
        int numTrees = settings.numTrees();
        int maxNodesPerTree = 2 * psi - 1;

        int capacity = Math.multiplyExact(numTrees, maxNodesPerTree);
        int[] feature = new int[capacity];
        double[] threshold = new double[capacity];
        int[] child = new int[capacity];
        double[] pathLength = new double[capacity];
        int[] nodeSize = new int[capacity];
        int[] treeRoot = new int[numTrees];
        int[] treeDepth = new int[numTrees];
        int[][] samples = new int[numTrees][];

        Grower grower = new Grower(nFeatures, psi, maxDepth, feature, threshold, child, pathLength, nodeSize);
        int used = 0;
        for (int t = 0; t < numTrees; t++) {
            // One split per tree keeps each tree's randomness independent of how the others consumed theirs.
            SplittableRandom treeRng = rng.split();
            int[] sample = drawSample(nRows, psi, treeRng);
            int[] features = drawFeatures(nFeatures, featuresPerTree, treeRng);
            samples[t] = sample;
            treeRoot[t] = used;
            int nodes = grower.grow(rows, sample, features, treeRng, used);
            treeDepth[t] = grower.deepest;
            used += nodes;
        }

        IsolationForest forest = new IsolationForest(nFeatures, psi, maxDepth, treeRoot, treeDepth,
                Arrays.copyOf(feature, used), Arrays.copyOf(threshold, used), Arrays.copyOf(child, used),
                Arrays.copyOf(pathLength, used), Arrays.copyOf(nodeSize, used));
        return new Result(forest, samples);
    }

    /** scikit-learn's depth limit, {@code ceil(log2(max(psi, 2)))}, in exact integer arithmetic. */
    static int autoDepth(int psi) {
        int m = Math.max(psi, 2);
        return 32 - Integer.numberOfLeadingZeros(m - 1);
    }

    /**
     * Draws {@code k} distinct row indices from {@code [0, n)} with Floyd's algorithm: {@code k}
     * random draws and no {@code O(n)} scratch, which matters when {@code n} is a million rows and
     * {@code k} is 256.
     */
    static int[] drawSample(int n, int k, SplittableRandom rng) {
        int[] out = new int[k];
        if (k == n) {
            for (int i = 0; i < n; i++) {
                out[i] = i;
            }
            return out;
        }
        int[] table = new int[Integer.highestOneBit(Math.max(2, k) * 4 - 1) << 1];
        Arrays.fill(table, -1);
        int mask = table.length - 1;
        int count = 0;
        for (int j = n - k; j < n; j++) {
            int t = rng.nextInt(j + 1);
            int pick = insert(table, mask, t) ? t : j;
            if (pick == j) {
                insert(table, mask, j);
            }
            out[count++] = pick;
        }
        return out;
    }

    /** Open-addressing insert; returns false if the value was already present. */
    private static boolean insert(int[] table, int mask, int value) {
        int slot = (value * 0x9E3779B9) >>> 7 & mask;
        while (table[slot] != -1) {
            if (table[slot] == value) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        table[slot] = value;
        return true;
    }

    /** Chooses the {@code k} features a tree may split on (partial Fisher-Yates). */
    static int[] drawFeatures(int nFeatures, int k, SplittableRandom rng) {
        int[] all = new int[nFeatures];
        for (int i = 0; i < nFeatures; i++) {
            all[i] = i;
        }
        if (k == nFeatures) {
            return all;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(nFeatures - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        return Arrays.copyOf(all, k);
    }

    /** Grows one tree at a time into the shared arrays; reuses its scratch between trees. */
    private static final class Grower {
        private final int nf;
        private final int maxDepth;
        private final double[] local;
        private final int[] idx;
        private final int[] feature;
        private final double[] threshold;
        private final int[] child;
        private final double[] pathLength;
        private final int[] nodeSize;
        private int[] candidates;
        private SplittableRandom rng;
        private int base;
        private int next;
        int deepest;

        Grower(int nf, int psi, int maxDepth, int[] feature, double[] threshold, int[] child,
               double[] pathLength, int[] nodeSize) {
            this.nf = nf;
            this.maxDepth = maxDepth;
            this.local = new double[psi * nf];
            this.idx = new int[psi];
            this.feature = feature;
            this.threshold = threshold;
            this.child = child;
            this.pathLength = pathLength;
            this.nodeSize = nodeSize;
        }

        int grow(double[] rows, int[] sample, int[] features, SplittableRandom treeRng, int base) {
            // Copy the sampled rows together: the splits below scan them repeatedly, and gathering
            // from a large matrix would miss the cache on every scan.
            for (int i = 0; i < sample.length; i++) {
                System.arraycopy(rows, sample[i] * nf, local, i * nf, nf);
                idx[i] = i;
            }
            this.candidates = features.clone();
            this.rng = treeRng;
            this.base = base;
            this.next = 1;
            this.deepest = 0;
            split(0, 0, sample.length, 0);
            return next;
        }

        private void split(int node, int lo, int hi, int depth) {
            int abs = base + node;
            int n = hi - lo;
            nodeSize[abs] = n;
            if (n > 1 && depth < maxDepth) {
                // Like scikit-learn, keep drawing features until one is not constant in this node;
                // the swap retires a constant feature for the rest of this node's draws.
                for (int remaining = candidates.length; remaining > 0; remaining--) {
                    int j = rng.nextInt(remaining);
                    int f = candidates[j];
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = lo; i < hi; i++) {
                        double v = local[idx[i] * nf + f];
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                    double t = Double.NaN;
                    if (max > min) {
                        t = min + rng.nextDouble() * (max - min);
                        if (!(t < max)) {
                            // Rounding (or an overflowing range) landed on max, which would leave the right
                            // side empty; scikit-learn falls back to min in the same case.
                            t = min;
                        }
                        // The forest holds thresholds as floats, so the split is made at one: the training's
                        // comparisons are then the scorer's. Values closer than a float tells apart count as equal.
                        t = ForestNodes.floatSplit(t, min, max);
                    }
                    if (!Double.isNaN(t)) {
                        int mid = partition(lo, hi, f, t);
                        int left = next;
                        next += 2;
                        feature[abs] = f;
                        threshold[abs] = t;
                        child[abs] = base + left;
                        split(left, lo, mid, depth + 1);
                        split(left + 1, mid, hi, depth + 1);
                        return;
                    }
                    candidates[j] = candidates[remaining - 1];
                    candidates[remaining - 1] = f;
                }
            }
            feature[abs] = 0;
            threshold[abs] = Double.POSITIVE_INFINITY;
            child[abs] = abs;
            pathLength[abs] = depth + IsolationForest.averagePathLength(n);
            deepest = Math.max(deepest, depth);
        }

        /** Moves rows with {@code x[f] <= t} to the front of {@code idx[lo, hi)}; returns the boundary. */
        private int partition(int lo, int hi, int f, double t) {
            int i = lo;
            int j = hi - 1;
            while (i <= j) {
                if (local[idx[i] * nf + f] <= t) {
                    i++;
                } else {
                    int tmp = idx[i];
                    idx[i] = idx[j];
                    idx[j] = tmp;
                    j--;
                }
            }
            return i;
        }
    }
}
