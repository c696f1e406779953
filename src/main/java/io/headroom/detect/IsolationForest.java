package io.headroom.detect;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * An isolation forest (Liu, Ting &amp; Zhou, ICDM 2008) held as flat arrays: the scoring core that
 * the daemon's hot loop calls directly and that {@link IsolationForestModel} wraps for Tribuo.
 *
 * <p>Trees follow scikit-learn's {@code IsolationForest}: each tree is grown on a subsample drawn
 * without replacement, splits on a random non-constant feature at a threshold uniform between the
 * node's minimum and maximum (rows with {@code x <= threshold} go left), and stops at a maximum depth
 * or at a single row. A row's path length in a tree is the depth of its leaf plus {@code c(n)}, the
 * average path length of an unsuccessful binary-search-tree lookup among the {@code n} training rows
 * left in that leaf. The score is {@code s = 2^(-E[h(x)] / c(psi))}: close to 1 for rows that are
 * isolated quickly, around 0.5 and below for ordinary rows. It equals {@code -score_samples} in
 * scikit-learn.
 *
 * <p>Rows are passed row-major in one {@code double[]}; column {@code j} is feature {@code j}. A NaN
 * compares false with every threshold, so it follows the left branch; training data must be finite.
 *
 * <p>Batch scoring walks the trees without array bounds checks when the JVM allows it
 * ({@link UncheckedWalk}; same scores bit for bit, about twice the throughput), on a layout
 * validated when the forest is built or loaded.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class IsolationForest implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rows per scoring block: a block of rows and one tree stay in L1/L2 while the block is scored. */
    private static final int BLOCK_ROWS = 256;
    /** Rows per task in parallel scoring: large enough that task overhead is noise. */
    private static final int ROWS_PER_TASK = 16_384;

    /**
     * The serialized form, unchanged since the arrays were held as they are written: one array per node field by
     * name, so model files of earlier versions still load. In memory the nodes are held compact instead
     * ({@link ForestNodes}, seven bytes a node at the default sizes rather than the written form's 28).
     */
    private static final ObjectStreamField[] serialPersistentFields = {
        new ObjectStreamField("numFeatures", int.class),
        new ObjectStreamField("sampleSize", int.class),
        new ObjectStreamField("maxDepth", int.class),
        new ObjectStreamField("treeRoot", int[].class),
        new ObjectStreamField("treeDepth", int[].class),
        new ObjectStreamField("feature", int[].class),
        new ObjectStreamField("threshold", double[].class),
        new ObjectStreamField("child", int[].class),
        new ObjectStreamField("pathLength", double[].class),
        new ObjectStreamField("nodeSize", int[].class),
        new ObjectStreamField("normaliser", double.class),
    };

    // Assigned once, by the constructor or by readObject; never changed after.
    /** Columns per row. */
    private int numFeatures;
    /** Rows each tree was grown on ({@code psi}); fixes the normaliser {@code c(psi)}. */
    private int sampleSize;
    /** Depth limit the trees were grown with. */
    private int maxDepth;
    /** Index of each tree's root node in the node arrays. */
    private int[] treeRoot;
    /** Depth of each tree's deepest leaf: the fixed number of steps a row takes through it. */
    private int[] treeDepth;
    /** The nodes of all trees, compact ({@link ForestNodes}). */
    private transient ForestNodes nodes;
    /** {@code numTrees * c(psi)}: turns a sum of path lengths into the exponent of the score. */
    private double normaliser;
    /** The layout passed validation and the JVM allows {@link UncheckedWalk}; else the bounds-checked walk runs. */
    private transient boolean unchecked;

    /**
     * Hyperparameters of the forest.
     *
     * @param numTrees        number of trees, at least 1
     * @param sampleSize      rows drawn without replacement for each tree (capped at the row count), at least 1
     * @param maxDepth        depth limit; 0 selects {@code ceil(log2(max(sampleSize, 2)))} as scikit-learn does
     * @param featureFraction fraction of the features each tree may split on, in (0, 1]
     */
    public record Settings(int numTrees, int sampleSize, int maxDepth, double featureFraction) {
        /**
         * Validates the ranges stated on the record components.
         *
         * @param numTrees        number of trees, at least 1
         * @param sampleSize      rows per tree, at least 1
         * @param maxDepth        depth limit, 0 for automatic
         * @param featureFraction fraction of features per tree, in (0, 1]
         */
        public Settings {
            if (numTrees < 1) {
                throw new IllegalArgumentException("numTrees must be >= 1, got " + numTrees);
            }
            if (sampleSize < 1) {
                throw new IllegalArgumentException("sampleSize must be >= 1, got " + sampleSize);
            }
            if (maxDepth < 0) {
                throw new IllegalArgumentException("maxDepth must be >= 0 (0 = automatic), got " + maxDepth);
            }
            if (!(featureFraction > 0.0 && featureFraction <= 1.0)) {
                throw new IllegalArgumentException("featureFraction must be in (0, 1], got " + featureFraction);
            }
        }

        /** @return scikit-learn's defaults: 100 trees, 256 rows each, automatic depth, all features */
        public static Settings defaults() {
            return new Settings(100, 256, 0, 1.0);
        }
    }

    IsolationForest(int numFeatures, int sampleSize, int maxDepth, int[] treeRoot, int[] treeDepth,
                    int[] feature, double[] threshold, int[] child, double[] pathLength, int[] nodeSize) {
        this.numFeatures = numFeatures;
        this.sampleSize = sampleSize;
        this.maxDepth = maxDepth;
        this.treeRoot = treeRoot;
        this.treeDepth = treeDepth;
        this.normaliser = treeRoot.length * averagePathLength(sampleSize);
        String problem = adoptNodes(feature, threshold, child, pathLength, nodeSize);
        if (nodes == null) {
            throw new IllegalArgumentException("invalid isolation forest: " + problem);
        }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        int count = nodes.nodeCount();
        int[] feature = new int[count];
        double[] threshold = new double[count];
        int[] child = new int[count];
        double[] pathLength = new double[count];
        int[] nodeSize = new int[count];
        for (int n = 0; n < count; n++) {
            feature[n] = nodes.feature(n);
            threshold[n] = nodes.threshold(n);
            child[n] = nodes.child(n);
            pathLength[n] = nodes.pathLength(n);
            nodeSize[n] = nodes.size(n);
        }
        ObjectOutputStream.PutField f = out.putFields();
        f.put("numFeatures", numFeatures);
        f.put("sampleSize", sampleSize);
        f.put("maxDepth", maxDepth);
        f.put("treeRoot", treeRoot);
        f.put("treeDepth", treeDepth);
        f.put("feature", feature);
        f.put("threshold", threshold);
        f.put("child", child);
        f.put("pathLength", pathLength);
        f.put("nodeSize", nodeSize);
        f.put("normaliser", normaliser);
        out.writeFields();
    }

    /**
     * Rejects a stream whose arrays break the layout the scorer relies on, so a corrupt model file
     * fails when it is loaded rather than with an index error in the middle of a scoring pass.
     */
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        ObjectInputStream.GetField f = in.readFields();
        numFeatures = f.get("numFeatures", 0);
        sampleSize = f.get("sampleSize", 0);
        maxDepth = f.get("maxDepth", 0);
        treeRoot = (int[]) f.get("treeRoot", null);
        treeDepth = (int[]) f.get("treeDepth", null);
        int[] feature = (int[]) f.get("feature", null);
        double[] threshold = (double[]) f.get("threshold", null);
        int[] child = (int[]) f.get("child", null);
        double[] pathLength = (double[]) f.get("pathLength", null);
        int[] nodeSize = (int[]) f.get("nodeSize", null);
        normaliser = f.get("normaliser", 0.0);
        if (treeRoot == null || treeDepth == null || feature == null || threshold == null || child == null
                || pathLength == null || nodeSize == null) {
            throw new InvalidObjectException("invalid isolation forest: an array is missing");
        }
        String problem = adoptNodes(feature, threshold, child, pathLength, nodeSize);
        if (problem != null) {
            throw new InvalidObjectException("invalid isolation forest: " + problem);
        }
    }

    /**
     * Takes the node arrays as built or as written into the compact form held in memory ({@link ForestNodes}), once
     * the other fields are set. Returns what breaks the layout, or null; only a layout without a problem is walked
     * unchecked. Arrays the compact form cannot hold leave {@link #nodes} null. Any other broken layout is still
     * held, so that the checked walk fails on it with an index error, as it would on the arrays themselves.
     */
    private String adoptNodes(int[] feature, double[] threshold, int[] child, double[] pathLength, int[] nodeSize) {
        String unpackable = packProblem(feature, threshold, child, pathLength, nodeSize);
        if (unpackable != null) {
            return unpackable;
        }
        nodes = ForestNodes.pack(numFeatures, sampleSize, treeRoot, feature, threshold, child, pathLength, nodeSize);
        String problem = layoutProblem(feature, threshold, child, nodeSize);
        // The unchecked walk reads char words only: a forest too wide for them (thousands of columns, or samples
        // of thousands of rows) is walked with the bounds checks, at about half the speed.
        unchecked = UncheckedWalk.available() && problem == null && nodes.narrow != null;
        return problem;
    }

    private String packProblem(int[] feature, double[] threshold, int[] child, double[] pathLength, int[] nodeSize) {
        int nodes = feature.length;
        if (threshold.length != nodes || child.length != nodes || pathLength.length != nodes || nodeSize.length != nodes) {
            return "node arrays differ in length";
        }
        if (treeRoot.length != treeDepth.length || numFeatures < 1 || sampleSize < 1) {
            return "inconsistent header";
        }
        return ForestNodes.packProblem(numFeatures, sampleSize, feature, child, nodeSize);
    }

    private String layoutProblem(int[] feature, double[] threshold, int[] child, int[] nodeSize) {
        int nodes = feature.length;
        for (int n = 0; n < nodes; n++) {
            boolean leaf = child[n] == n;
            if (feature[n] < 0 || feature[n] >= numFeatures) {
                return "node " + n + " splits on feature " + feature[n];
            }
            if (!leaf && (child[n] <= n || child[n] + 1 >= nodes)) {
                return "node " + n + " has child " + child[n];
            }
            if (leaf && threshold[n] != Double.POSITIVE_INFINITY) {
                return "leaf " + n + " has a finite threshold";
            }
            if (nodeSize[n] < 1) {
                return "node " + n + " holds " + nodeSize[n] + " rows";
            }
        }
        for (int t = 0; t < treeRoot.length; t++) {
            if (treeRoot[t] < 0 || treeRoot[t] >= nodes || treeDepth[t] < 0) {
                return "tree " + t + " has root " + treeRoot[t] + " and depth " + treeDepth[t];
            }
        }
        return null;
    }

    /**
     * Grows a forest on row-major data.
     *
     * @param rows        {@code nRows * nFeatures} finite values, row-major
     * @param nRows       number of rows, at least 1
     * @param nFeatures   number of features, at least 1
     * @param settings    hyperparameters
     * @param rng         source of randomness; the same seed and data give the same forest
     * @return the trained forest
     */
    public static IsolationForest fit(double[] rows, int nRows, int nFeatures, Settings settings, SplittableRandom rng) {
        return ForestBuilder.build(rows, nRows, nFeatures, settings, rng).forest();
    }

    /**
     * {@code c(n)}: the average path length of an unsuccessful search in a binary search tree of
     * {@code n} keys, used to normalise depths (Liu et al., eq. 1; same constants as scikit-learn).
     *
     * @param n number of rows
     * @return {@code c(n)}, 0 for {@code n <= 1}
     */
    public static double averagePathLength(long n) {
        if (n <= 1) {
            return 0.0;
        }
        if (n == 2) {
            return 1.0;
        }
        return 2.0 * (Math.log(n - 1.0) + 0.5772156649015329) - 2.0 * (n - 1.0) / n;
    }

    /** @return the number of features (columns) the forest was trained on */
    public int numFeatures() {
        return numFeatures;
    }

    /** @return the number of trees */
    public int numTrees() {
        return treeRoot.length;
    }

    /** @return the subsample size actually used per tree ({@code psi}) */
    public int sampleSize() {
        return sampleSize;
    }

    /** @return the depth limit the trees were grown with */
    public int maxDepth() {
        return maxDepth;
    }

    /** @return the total number of nodes over all trees */
    public int nodeCount() {
        return nodes.nodeCount();
    }

    /**
     * Heap the forest's arrays hold, in bytes (array headers included): what keeping it in memory costs, for the
     * training's model memory budget.
     */
    public long retainedBytes() {
        return nodes.retainedBytes() + 4L * (treeRoot.length + treeDepth.length) + 16 * 4;
    }

    /**
     * Scores one row.
     *
     * @param row at least {@link #numFeatures()} values
     * @return the isolation score in (0, 1]
     */
    public double score(double[] row) {
        checkRows(row, 1, numFeatures);
        return scoreRow(row, 0);
    }

    /**
     * Scores a batch of rows into a new array.
     *
     * @param rows      row-major values
     * @param nRows     number of rows
     * @param nFeatures must equal {@link #numFeatures()}
     * @return one score per row
     */
    public double[] scoreBatch(double[] rows, int nRows, int nFeatures) {
        double[] out = new double[nRows];
        scoreBatch(rows, nRows, nFeatures, out);
        return out;
    }

    /**
     * Scores a batch of rows on the calling thread without allocating.
     *
     * @param rows      row-major values
     * @param nRows     number of rows
     * @param nFeatures must equal {@link #numFeatures()}
     * @param out       receives the scores in {@code out[0..nRows)}
     */
    public void scoreBatch(double[] rows, int nRows, int nFeatures, double[] out) {
        checkRows(rows, nRows, nFeatures);
        checkOut(out, nRows);
        scoreRange(rows, 0, nRows, out);
    }

    /**
     * Scores a batch of rows on an executor. Each row's score is bit-identical to the single-threaded
     * result, because every row still sums its trees in the same order.
     *
     * @param rows      row-major values
     * @param nRows     number of rows
     * @param nFeatures must equal {@link #numFeatures()}
     * @param out       receives the scores in {@code out[0..nRows)}
     * @param executor  runs the chunks; the caller owns it (the daemon passes its named worker pool)
     * @throws InterruptedException if interrupted while waiting for the chunks
     */
    public void scoreBatch(double[] rows, int nRows, int nFeatures, double[] out, ExecutorService executor)
            throws InterruptedException {
        checkRows(rows, nRows, nFeatures);
        checkOut(out, nRows);
        Objects.requireNonNull(executor, "executor");
        if (nRows <= ROWS_PER_TASK) {
            scoreRange(rows, 0, nRows, out);
            return;
        }
        List<Callable<Void>> tasks = new ArrayList<>((nRows + ROWS_PER_TASK - 1) / ROWS_PER_TASK);
        for (int from = 0; from < nRows; from += ROWS_PER_TASK) {
            int start = from;
            int end = Math.min(nRows, from + ROWS_PER_TASK);
            tasks.add(() -> {
                scoreRange(rows, start, end, out);
                return null;
            });
        }
        for (Future<Void> f : executor.invokeAll(tasks)) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("scoring chunk failed", e.getCause());
            }
        }
    }

    /**
     * Credits each feature with how much it contributed to isolating a row, summed over trees.
     *
     * <p>Each split on the row's path isolates it by a factor: the node held {@code n} training rows
     * and the branch the row takes holds {@code m}, so the split is worth {@code log2(n / m)} bits of
     * isolation, credited to the split's feature. A split that carves the row off nearly alone (an
     * extreme value) earns many bits, a split that halves the node earns one. The bits of a path add
     * up to {@code log2(psi / leafSize)}, so a feature that isolates the row early and decisively takes
     * most of the credit. The result is normalised to sum to 1; it is all zeros when no tree split the
     * row (every tree is a single leaf, e.g. constant training data).
     *
     * @param row at least {@link #numFeatures()} values
     * @return one share per feature, summing to 1
     */
    public double[] attribution(double[] row) {
        double[] out = new double[numFeatures];
        attribution(row, 0, out);
        return out;
    }

    /**
     * Allocation-free form of {@link #attribution(double[])} for a row inside a row-major batch.
     *
     * @param rows      row-major values
     * @param rowOffset index of the row's first value in {@code rows}
     * @param out       receives one share per feature, overwritten
     */
    public void attribution(double[] rows, int rowOffset, double[] out) {
        if (rowOffset < 0 || rowOffset + numFeatures > rows.length) {
            throw new IllegalArgumentException("row at offset " + rowOffset + " does not fit in " + rows.length + " values");
        }
        checkOut(out, numFeatures);
        Arrays.fill(out, 0, numFeatures, 0.0);
        double total = 0.0;
        for (int t = 0; t < treeRoot.length; t++) {
            int root = treeRoot[t];
            int node = root;
            while (!nodes.leaf(root, node)) {
                int f = nodes.feature(node);
                int next = nodes.child(root, node) + (rows[rowOffset + f] > nodes.threshold[node] ? 1 : 0);
                double bits = log2((double) nodes.size(node) / nodes.size(next));
                out[f] += bits;
                total += bits;
                node = next;
            }
        }
        if (total > 0.0) {
            for (int f = 0; f < numFeatures; f++) {
                out[f] /= total;
            }
        }
    }

    private void scoreRange(double[] rows, int from, int to, double[] out) {
        pathLengthSums(rows, from, to, out);
        for (int r = from; r < to; r++) {
            out[r] = toScore(out[r]);
        }
    }

    /**
     * Sums, per row in {@code [from, to)}, the path lengths over all trees in tree order; callers have
     * checked that the rows fit in {@code rows}.
     */
    void pathLengthSums(double[] rows, int from, int to, double[] out) {
        pathLengthSums(rows, from, to, out, this.unchecked);
    }

    /** As {@link #pathLengthSums(double[], int, int, double[])}, choosing the walk; tests compare both. */
    void pathLengthSums(double[] rows, int from, int to, double[] out, boolean unchecked) {
        if (unchecked) {
            if (!this.unchecked) {
                throw new IllegalStateException("the unchecked walk is not available for this forest");
            }
            UncheckedWalk.pathLengthSums(treeRoot, treeDepth, nodes, rows, numFeatures, from, to, out);
            return;
        }
        Arrays.fill(out, from, to, 0.0);
        for (int block = from; block < to; block += BLOCK_ROWS) {
            int end = Math.min(to, block + BLOCK_ROWS);
            for (int t = 0; t < treeRoot.length; t++) {
                accumulateTree(treeRoot[t], treeDepth[t], rows, block, end, out);
            }
        }
    }

    /** The nodes as held in memory; for tests of the layout. */
    ForestNodes nodes() {
        return nodes;
    }

    /** @return whether batch scoring walks without bounds checks (see {@link UncheckedWalk}) */
    boolean usesUncheckedWalk() {
        return unchecked;
    }

    /** Scores the row starting at {@code rows[offset]}; callers have checked the bounds. */
    double scoreRow(double[] rows, int offset) {
        double sum = 0.0;
        for (int t = 0; t < treeRoot.length; t++) {
            sum += treePathLength(t, rows, offset);
        }
        return toScore(sum);
    }

    /**
     * Adds one tree's path lengths for rows {@code [from, to)} to {@code out}.
     *
     * <p>Leaves point at themselves with a NaN threshold, which no value exceeds, so every row takes exactly
     * {@code depth} steps and the loop has no data-dependent branch for the CPU to mispredict; at a
     * coin-flip split a mispredicted branch would cost more than the few extra steps. Four rows are
     * walked together because each step depends on the previous load: independent walks let the CPU
     * overlap those latencies.
     *
     * <p>Tried against this loop in the same runs (1,000,000 x 8 rows, 100 trees, 256 samples, one
     * thread) and not kept, none being faster by more than the 5-10% run-to-run noise: a complete-tree
     * heap layout (children at 2n+1 and 2n+2, so no child array), walking a whole 64- to 1,024-row
     * block one level at a time, eight rows at a time instead of four, and float32 rows (which also
     * changed 3 scores in a million). Rows and one tree already sit in L1 for a block, so
     * memory traffic is not what bounds the walk; the instructions per step are. Batch scoring runs
     * {@link UncheckedWalk} instead when it is available, which removes the bounds checks and then gains
     * from sixteen rows in flight; this walk remains the reference it is tested against and the fallback.
     */
    private void accumulateTree(int root, int depth, double[] rows, int from, int to, double[] out) {
        final char[] cw = nodes.narrow;
        final int[] w = nodes.wide;
        // Narrow words count a child from the tree's root, wide ones from the forest's first node.
        final int base = cw != null ? root : 0;
        final int bits = nodes.featureBits;
        final int mask = nodes.featureMask;
        final float[] thr = nodes.threshold;
        final double[] len = nodes.lengths;
        final int nf = numFeatures;
        int r = from;
        for (; r + 3 < to; r += 4) {
            int base0 = r * nf;
            int base1 = base0 + nf;
            int base2 = base1 + nf;
            int base3 = base2 + nf;
            int n0 = root;
            int n1 = root;
            int n2 = root;
            int n3 = root;
            for (int d = 0; d < depth; d++) {
                n0 = ForestNodes.next(cw, w, base, bits, mask, thr, n0, rows, base0);
                n1 = ForestNodes.next(cw, w, base, bits, mask, thr, n1, rows, base1);
                n2 = ForestNodes.next(cw, w, base, bits, mask, thr, n2, rows, base2);
                n3 = ForestNodes.next(cw, w, base, bits, mask, thr, n3, rows, base3);
            }
            out[r] += ForestNodes.lengthAt(len, thr[n0]);
            out[r + 1] += ForestNodes.lengthAt(len, thr[n1]);
            out[r + 2] += ForestNodes.lengthAt(len, thr[n2]);
            out[r + 3] += ForestNodes.lengthAt(len, thr[n3]);
        }
        for (; r < to; r++) {
            int row = r * nf;
            int n = root;
            for (int d = 0; d < depth; d++) {
                n = ForestNodes.next(cw, w, base, bits, mask, thr, n, rows, row);
            }
            out[r] += ForestNodes.lengthAt(len, thr[n]);
        }
    }

    private double toScore(double pathLengthSum) {
        // Same expression as scikit-learn (sum / (trees * c(psi))), so scores compare like for like.
        return normaliser == 0.0 ? 1.0 : Math.pow(2.0, -pathLengthSum / normaliser);
    }

    /** Path length of one row in one tree; used for out-of-bag training scores. */
    double treePathLength(int tree, double[] rows, int rowOffset) {
        int root = treeRoot[tree];
        int node = root;
        for (int d = treeDepth[tree]; d > 0; d--) {
            node = nodes.next(root, node, rows, rowOffset);
        }
        return ForestNodes.lengthAt(nodes.lengths, nodes.threshold[node]);
    }

    /** Converts a sum of path lengths over {@code trees} trees to a score. */
    double scoreFromPathSum(double sum, int trees) {
        double norm = trees * averagePathLength(sampleSize);
        return norm == 0.0 ? 1.0 : Math.pow(2.0, -sum / norm);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2.0);
    }

    private void checkRows(double[] rows, int nRows, int nFeatures) {
        Objects.requireNonNull(rows, "rows");
        if (nFeatures != numFeatures) {
            throw new IllegalArgumentException("forest has " + numFeatures + " features, rows have " + nFeatures);
        }
        if (nRows < 0 || (long) nRows * nFeatures > rows.length) {
            throw new IllegalArgumentException(nRows + " rows of " + nFeatures + " features need "
                    + (long) nRows * nFeatures + " values, array has " + rows.length);
        }
    }

    private static void checkOut(double[] out, int n) {
        Objects.requireNonNull(out, "out");
        if (out.length < n) {
            throw new IllegalArgumentException("output array has " + out.length + " slots, need " + n);
        }
    }
}
