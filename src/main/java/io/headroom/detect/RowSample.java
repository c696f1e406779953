package io.headroom.detect;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Engineered training rows of one model, gathered history by history, holding at most a bound of them. Until
 * the bound is reached every row is kept in arrival order, so a model trained on fewer rows sees exactly the
 * rows it would see from one concatenated matrix. Past the bound it is a seeded reservoir (algorithm R): each row
 * seen has the same chance to be kept, whatever the number of workloads, and the memory stays
 * {@code bound x width} doubles instead of every workload's rows at once.
 */
final class RowSample {

    private final int width;
    private final int bound;
    private final SplittableRandom rng;
    private double[] rows = new double[0];
    private int kept;
    private long seen;

    RowSample(int width, int bound, long seed) {
        if (width <= 0 || bound <= 0) {
            throw new IllegalArgumentException("width and bound must be positive: " + width + ", " + bound);
        }
        this.width = width;
        this.bound = bound;
        this.rng = new SplittableRandom(seed);
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
        System.arraycopy(source, Math.multiplyExact(r, width), rows, Math.multiplyExact(slot, width), width);
    }

    /**
     * Takes {@code n} rows that are all of {@code source} as the sample's first, without copying them: what offering
     * them one by one would keep (the bound is not reached, so no row is drawn). Only while the sample is empty and
     * they stay below the bound, so that no later offer writes into {@code source}; false, and nothing taken,
     * otherwise. The sample then shares {@code source} with the caller: neither may change it.
     */
    boolean adopt(double[] source, int n) {
        if (seen != 0 || n <= 0 || n >= bound || source.length != (long) n * width) {
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
        if (needed > rows.length) {
            // Doubling, capped at the bound: a small model never allocates the bound's worth.
            long next = Math.min((long) bound * width, Math.max(needed, 2L * rows.length));
            rows = Arrays.copyOf(rows, Math.toIntExact(next));
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

    /** The kept rows, row-major, exactly {@code size() * width} long. */
    double[] rows() {
        return rows.length == kept * width ? rows : Arrays.copyOf(rows, kept * width);
    }

    /**
     * The kept rows, as {@link #rows()}, handed over: the sample lets go of them (it is empty afterwards), so a
     * caller that is done with them can have them collected while the sample is still referenced.
     */
    double[] take() {
        double[] out = rows();
        rows = new double[0];
        kept = 0;
        return out;
    }
}
