package io.headroom.detect;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The nodes of an {@link IsolationForest} in the compact form held in memory: seven bytes a node at the default
 * sample size and up to 64 columns (nine or ten beyond), where the arrays as built or as written to a model file take
 * 28. A host keeps one forest per guest, about 16,000 nodes each at the default 100 trees of 256 rows, so this is
 * what decides how many guests get their own model in a given heap, and a large part of the daemon's heap.
 *
 * <ul>
 *   <li>A word a node: its left child shifted left by {@link #featureBits}, or'ed with its split feature. The right
 *       child is the one after the left; a leaf points at itself. In {@link #narrow}, a char, the child is counted
 *       from its tree's root, which a walk holds anyway, so the word needs only the bits of a tree's size (below
 *       twice the sample size): chars hold them when the features leave enough of 16 bits (trees of up to 512 rows
 *       at 64 columns). Else {@link #wide}, an int, holds the child's index in the forest.</li>
 *   <li>{@link #threshold}, one float a node: rows with {@code x > threshold} go right. The builder draws thresholds
 *       that are floats ({@link #floatSplit}), so nothing is rounded and the walk makes the comparisons the
 *       training made. At a leaf it is a quiet NaN, which every comparison finds false, so a walk stays at the leaf;
 *       its payload indexes {@link #lengths}.</li>
 *   <li>{@link #lengths}: the distinct path lengths of the leaves (depth plus {@code c(rows in the leaf)}), a few
 *       hundred a forest.</li>
 *   <li>{@link #sizes}: training rows that reached each node, for attribution only: a byte holding the count less
 *       one while every node's count is 1 to 256 (always at the default {@code sample_size} of 256: a split leaves
 *       rows on both sides), else a char ({@link #midSizes}) or an int ({@link #wideSizes}).</li>
 * </ul>
 *
 * <p>Instances are immutable once made.
 */
final class ForestNodes {
    /** A quiet NaN; a leaf's threshold is this or'ed with the index of its path length. */
    private static final int LEAF_NAN = 0x7FC0_0000;
    /** The bits of a quiet NaN's payload below its quiet bit: at most this many distinct leaf lengths. */
    private static final int PAYLOAD_MASK = 0x003F_FFFF;
    /** The largest row count a byte holds in {@link #sizes} (as the count less one). */
    private static final int BYTE_SIZES = 256;

    /** Bits of a {@link #narrow} word. */
    private static final int NARROW_BITS = 16;

    final int featureBits;
    final int featureMask;
    /** One char word a node, the child counted from its tree's root; or null, and {@link #wide} holds the words. */
    final char[] narrow;
    /** One int word a node, the child's index in the forest, when {@link #narrow} is null; else null. */
    final int[] wide;
    /** The forest's tree roots, ascending when {@link #narrow} is used: node {@code n}'s tree is the last at or below it. */
    private final int[] roots;
    final float[] threshold;
    final double[] lengths;
    private final byte[] sizes;
    private final char[] midSizes;
    private final int[] wideSizes;

    private ForestNodes(int featureBits, char[] narrow, int[] wide, int[] roots, float[] threshold, double[] lengths,
                        byte[] sizes, char[] midSizes, int[] wideSizes) {
        this.roots = roots;
        this.featureBits = featureBits;
        this.featureMask = (1 << featureBits) - 1;
        this.narrow = narrow;
        this.wide = wide;
        this.threshold = threshold;
        this.lengths = lengths;
        this.sizes = sizes;
        this.midSizes = midSizes;
        this.wideSizes = wideSizes;
    }

    /** Bits that hold a feature index below {@code numFeatures}; at least 1. */
    static int featureBits(int numFeatures) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(numFeatures - 1));
    }

    /**
     * What keeps nodes as built or as written from the compact form, or null: the packing's own limits (the node
     * count, then each node's child and feature within their bits and its row count within {@link #sizes}). Any other
     * broken layout packs; the layout itself is {@link IsolationForest}'s to check.
     */
    static String packProblem(int numFeatures, int sampleSize, int[] feature, int[] child, int[] nodeSize) {
        String limit = limitProblem(numFeatures, feature.length);
        if (limit != null) {
            return limit;
        }
        int bits = featureBits(numFeatures);
        int childLimit = 1 << (31 - bits);
        int featureLimit = 1 << bits;
        for (int n = 0; n < feature.length; n++) {
            if (child[n] < 0 || child[n] >= childLimit || feature[n] < 0 || feature[n] >= featureLimit
                    || nodeSize[n] > sampleSize) {
                return "node " + n + " (feature " + feature[n] + ", child " + child[n] + ", " + nodeSize[n]
                        + " rows) is out of range";
            }
        }
        return null;
    }

    /** Whether {@code nodes} nodes on {@code numFeatures} features fit the 31 bits they share, or null. */
    static String limitProblem(int numFeatures, int nodes) {
        int bits = featureBits(numFeatures);
        if (bits > 30 || nodes > (1 << (31 - bits))) {
            return nodes + " nodes on " + numFeatures + " features do not fit the compact layout; fewer trees or a "
                    + "smaller sample_size would";
        }
        return null;
    }

    /**
     * Packs nodes as built or as written: a leaf is a node that is its own child. The words are narrow if the trees
     * lie one after the other from node 0 in the order of {@code treeRoot}, every child within its node's tree,
     * and every tree small enough; the builder's always do at the default sizes. Otherwise (a broken model file
     * among them) they are wide, as written, so that the checked walk fails on a broken one as on the arrays.
     * A split threshold that is not a
     * float (a model file written before thresholds were drawn as floats) is rounded to the nearest one, which moves
     * the split by less than one part in ten million of its value.
     */
    static ForestNodes pack(int numFeatures, int sampleSize, int[] treeRoot, int[] feature, double[] threshold,
                            int[] child, double[] pathLength, int[] nodeSize) {
        int nodes = feature.length;
        int bits = featureBits(numFeatures);
        char[] narrow = narrowWords(bits, treeRoot, feature, child);
        int[] words = null;
        if (narrow == null) {
            words = new int[nodes];
            for (int n = 0; n < nodes; n++) {
                words[n] = child[n] << bits | feature[n];
            }
        }
        float[] thr = new float[nodes];
        Map<Long, Integer> index = new HashMap<>();
        double[] distinct = new double[16];
        for (int n = 0; n < nodes; n++) {
            if (child[n] != n) {
                thr[n] = (float) threshold[n];
                continue;
            }
            int at = index.computeIfAbsent(Double.doubleToRawLongBits(pathLength[n]), b -> index.size());
            if (at > PAYLOAD_MASK) {
                throw new IllegalArgumentException("more than " + PAYLOAD_MASK + " distinct leaf lengths");
            }
            if (at == distinct.length) {
                distinct = Arrays.copyOf(distinct, distinct.length * 2);
            }
            distinct[at] = pathLength[n];
            thr[n] = Float.intBitsToFloat(LEAF_NAN | at);
        }
        byte[] sizes = null;
        char[] mid = null;
        int[] wideSizes = null;
        if (Arrays.stream(nodeSize).allMatch(k -> k >= 1 && k <= BYTE_SIZES)) {
            sizes = new byte[nodes];
            for (int n = 0; n < nodes; n++) {
                sizes[n] = (byte) (nodeSize[n] - 1);
            }
        } else if (sampleSize <= Character.MAX_VALUE) {
            mid = new char[nodes];
            for (int n = 0; n < nodes; n++) {
                mid[n] = (char) nodeSize[n];
            }
        } else {
            wideSizes = nodeSize.clone();
        }
        return new ForestNodes(bits, narrow, words, treeRoot, thr, Arrays.copyOf(distinct, index.size()), sizes, mid,
                wideSizes);
    }

    /** The words with each child counted from its tree's root, or null if a tree's layout or size rules them out. */
    private static char[] narrowWords(int bits, int[] treeRoot, int[] feature, int[] child) {
        int nodes = feature.length;
        int limit = bits < NARROW_BITS ? 1 << (NARROW_BITS - bits) : 0;
        if (nodes > 0 && (treeRoot.length == 0 || treeRoot[0] != 0)) {
            return null;
        }
        char[] words = new char[nodes];
        for (int t = 0; t < treeRoot.length; t++) {
            int root = treeRoot[t];
            int end = t + 1 < treeRoot.length ? treeRoot[t + 1] : nodes;
            if (end <= root || end > nodes) {
                return null;
            }
            for (int n = root; n < end; n++) {
                int local = child[n] - root;
                // A split's right child too must be in the tree: a walk adds the tree's root to what it reads.
                int last = child[n] == n ? n : child[n] + 1;
                if (child[n] < root || last >= end || local >= limit) {
                    return null;
                }
                words[n] = (char) (local << bits | feature[n]);
            }
        }
        return words;
    }

    /**
     * The threshold a split at {@code t} uses: the float nearest to it that still leaves rows on both sides of a
     * node whose values span {@code [min, max]} (left: {@code x <= threshold}), or NaN when no float does, because
     * the values differ by less than a float can tell apart (or lie beyond a float's range).
     */
    static double floatSplit(double t, double min, double max) {
        float f = (float) t;
        if (f < min) {
            // The nearest float to a t >= min lies below min only if the next one up is at or above t.
            f = Math.nextUp(f);
        }
        if (f >= max) {
            f = (float) max;
            if (f >= max) {
                f = Math.nextDown(f);
            }
        }
        return Float.isFinite(f) && f >= min && f < max ? f : Double.NaN;
    }

    int nodeCount() {
        return threshold.length;
    }

    int feature(int n) {
        return (narrow != null ? narrow[n] : wide[n]) & featureMask;
    }

    /** The left child of node {@code n} of the tree rooted at {@code root}. */
    int child(int root, int n) {
        return narrow != null ? root + (narrow[n] >>> featureBits) : wide[n] >>> featureBits;
    }

    /** The left child of node {@code n}, its tree looked up (a binary search over the roots). */
    int child(int n) {
        if (narrow == null) {
            return wide[n] >>> featureBits;
        }
        int at = Arrays.binarySearch(roots, n);
        return child(roots[at >= 0 ? at : -at - 2], n);
    }

    boolean leaf(int n) {
        return child(n) == n;
    }

    /**
     * One step of a walk from node {@code n} of the tree rooted at {@code root}: its left child, or the one after it
     * when the row's value at the node's feature ({@code rows[row + feature]}) exceeds its threshold. A leaf stays.
     */
    int next(int root, int n, double[] rows, int row) {
        return next(narrow, wide, narrow != null ? root : 0, featureBits, featureMask, threshold, n, rows, row);
    }

    /**
     * {@link #next(int, int, double[], int)} over the arrays themselves, for a loop that holds them in locals (the
     * checked walk: reading them through the instance at every step cost it 15%). {@code base} is what the words'
     * child indices count from: the tree's root for {@code narrow} words, 0 for {@code wide} ones.
     */
    static int next(char[] narrow, int[] wide, int base, int bits, int mask, float[] threshold, int n, double[] rows,
                    int row) {
        int word = narrow != null ? narrow[n] : wide[n];
        return base + (word >>> bits) + (rows[row + (word & mask)] > threshold[n] ? 1 : 0);
    }

    /** Whether node {@code n} of the tree rooted at {@code root} is a leaf. */
    boolean leaf(int root, int n) {
        return child(root, n) == n;
    }

    /** Node {@code n}'s threshold widened; +infinity at a leaf, as the written form holds it. */
    double threshold(int n) {
        return leaf(n) ? Double.POSITIVE_INFINITY : threshold[n];
    }

    /** The path length of leaf {@code n} (0 for a split, as the written form holds it). */
    double pathLength(int n) {
        return leaf(n) ? lengthAt(lengths, threshold[n]) : 0.0;
    }

    /** The path length of the leaf whose threshold is {@code leafThreshold}. */
    static double lengthAt(double[] lengths, float leafThreshold) {
        return lengths[Float.floatToRawIntBits(leafThreshold) & PAYLOAD_MASK];
    }

    int size(int n) {
        if (sizes != null) {
            return (sizes[n] & 0xFF) + 1;
        }
        return midSizes != null ? midSizes[n] : wideSizes[n];
    }

    /** Heap the arrays hold, in bytes, array headers included. */
    long retainedBytes() {
        long sizeBytes = sizes != null ? sizes.length : midSizes != null ? 2L * midSizes.length : 4L * wideSizes.length;
        long wordBytes = narrow != null ? 2L * narrow.length : 4L * wide.length;
        return wordBytes + 4L * threshold.length + 8L * lengths.length + sizeBytes + 4 * 16 + 32;
    }
}
