package io.headroom.detect;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Engineered training rows of one model, gathered history by history, holding at most a bound of them. Until
 * the bound is reached every row is kept in arrival order, so a model trained on fewer rows sees exactly the
 * rows it would see from one concatenated matrix. Past the bound it is a seeded reservoir (algorithm R): each row
 * seen has the same chance to be kept, whatever the number of workloads, and the memory stays
 * {@code bound x width} doubles instead of every workload's rows at once.
 *
 * <p>A sample made {@code single} keeps its rows as floats, half the memory, and hands them back as doubles. The
 * group and global samples are: they live through a whole training beside the fleet's models (19 MB each as
 * doubles at the defaults, the largest arrays a training holds), and a shared model loses nothing to the rounding,
 * since its split thresholds are floats anyway ({@link ForestNodes}) and a float keeps seven significant digits of a
 * value whose own noise is a percent or more.
 */
final class RowSample {

    private final int width;
    private final int bound;
    private final SplittableRandom rng;
    /** The kept rows; in a {@code single} sample always empty, and {@link #narrow} holds them. */
    private double[] rows = new double[0];
    /** A {@code single} sample's kept rows, else null. */
    private float[] narrow;
    private int kept;
    private long seen;

    RowSample(int width, int bound, long seed) {
        this(width, bound, seed, false);
    }

    /** As {@link #RowSample(int, int, long)}; {@code single}: the rows are kept as floats. */
    RowSample(int width, int bound, long seed, boolean single) {
        if (width <= 0 || bound <= 0) {
            throw new IllegalArgumentException("width and bound must be positive: " + width + ", " + bound);
        }
        this.width = width;
        this.bound = bound;
        this.rng = new SplittableRandom(seed);
        this.narrow = single ? new float[0] : null;
    }

    /** Offers row {@code r} of {@code source} (row-major, {@code width} values per row). */
    void offer(double[] source, int r) {
        seen++;
        int slot;
        if (kept < bound) {
            grow();
            slot = kept++;
        } else {
            long j = rng.nextLong(seen);
            if (j >= bound) {
                return;
            }
            slot = (int) j;
        }
        int from = Math.multiplyExact(r, width);
        int to = Math.multiplyExact(slot, width);
        if (narrow == null) {
            System.arraycopy(source, from, rows, to, width);
            return;
        }
        for (int c = 0; c < width; c++) {
            narrow[to + c] = (float) source[from + c];
        }
    }

    /**
     * Takes {@code n} rows that are all of {@code source} as the sample's first, without copying them: what offering
     * them one by one would keep (the bound is not reached, so no row is drawn). Only while the sample is empty and
     * they stay below the bound, so that no later offer writes into {@code source}, and only in a sample of doubles;
     * false, and nothing taken, otherwise. The sample then shares {@code source} with the caller: neither may change
     * it.
     */
    boolean adopt(double[] source, int n) {
        if (narrow != null || seen != 0 || n <= 0 || n >= bound || source.length != (long) n * width) {
            return false;
        }
        rows = source;
        kept = n;
        seen = n;
        return true;
    }

    /**
     * Makes room for {@code more} rows about to be offered (as many as the bound leaves), so a sample that gets one
     * history's rows is allocated once, at its size.
     */
    void reserve(int more) {
        grow(Math.min(bound, (long) kept + more));
    }

    private void grow() {
        grow(kept + 1L);
    }

    private void grow(long neededRows) {
        long needed = neededRows * width;
        int length = narrow == null ? rows.length : narrow.length;
        if (needed > length) {
            // Doubling, capped at the bound: a small model never allocates the bound's worth.
            int next = Math.toIntExact(Math.min((long) bound * width, Math.max(needed, 2L * length)));
            if (narrow == null) {
                rows = Arrays.copyOf(rows, next);
            } else {
                narrow = Arrays.copyOf(narrow, next);
            }
        }
    }

    /** Rows offered so far, kept or not. */
    long seen() {
        return seen;
    }

    /** Rows kept: {@code min(seen, bound)}. */
    int size() {
        return kept;
    }

    int width() {
        return width;
    }

    /** The kept rows, row-major, exactly {@code size() * width} long (a {@code single} sample's widened). */
    double[] rows() {
        if (narrow != null) {
            double[] out = new double[kept * width];
            for (int i = 0; i < out.length; i++) {
                out[i] = narrow[i];
            }
            return out;
        }
        return rows.length == kept * width ? rows : Arrays.copyOf(rows, kept * width);
    }

    /**
     * The kept rows, as {@link #rows()}, handed over: the sample lets go of them (it is empty afterwards), so a
     * caller that is done with them can have them collected while the sample is still referenced.
     */
    double[] take() {
        double[] out = rows();
        rows = new double[0];
        narrow = narrow == null ? null : new float[0];
        kept = 0;
        return out;
    }
}
