package io.headroom.detect;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Flags values far outside anything seen in training, which an isolation forest alone under-scores: a split point
 * is drawn between a node's training min and max, so a point far beyond the max is isolated no faster than the
 * most extreme training point (scikit-learn's forest behaves the same). For each column the guard keeps the
 * training range [min, max]; a row's exceedance is how far its furthest column lies outside that range, in units
 * of the range's width, and maps to 0-100:
 * <pre>
 *   exceedance 0 .. 0.5 -> 0 .. 30   (up to half a width beyond the extremes: growth, not yet abnormal)
 *              0.5 .. 2 -> 30 .. 71
 *              2 .. 6   -> 71 .. 100 (six widths beyond: nothing like the training data)
 * </pre>
 * The model's score is the larger of the forest's calibrated score and this one.
 *
 * <p>Why the whole range and half a width: on real machines the test weeks drift past the training weeks' extremes
 * all the time, and a guard on the [0.1%, 99.9%] quantile range that reached 30 a quarter width out fired on most
 * clean rows of the SMD machines (16,698 of 19,981 on machine-1-6), drowning the forest's ranking. Half a width
 * still keeps a sustained surge far past the training range (CPU at 0.98 after a week between 0.15 and 0.65) in
 * the medium tier once the trailing windows have absorbed it and the forest sees nothing new. A column that was
 * constant at zero in training (an error counter that never ticked) has no width to measure against and is left to
 * the forest: its first tick would otherwise be "infinitely" far and push a guest straight to the critical tier. A
 * column constant at another value is measured against that value's magnitude.
 */
public final class RangeGuard implements Serializable {

    /** 2: whole training range, thresholds 0.5/2/6 widths, zero-constant columns ignored. */
    private static final long serialVersionUID = 2L;
    private static final double[] EXCEEDANCE = {0, 0.5, 2, 6};
    /** Two widths beyond the range is the high tier, as the forest's training maximum is ({@link Calibration}). */
    private static final double[] SCORE = {0, Calibration.NORMAL_CEILING, Calibration.BEYOND_TRAINING, 100};

    private final double[] lo;
    private final double[] hi;
    /** Width of each column's range; infinite where the column cannot be guarded. */
    private final double[] span;

    private RangeGuard(double[] lo, double[] hi, double[] span) {
        this.lo = lo;
        this.hi = hi;
        this.span = span;
    }

    /** Learns per-column ranges from {@code nRows} imputed rows of {@code width} values. */
    public static RangeGuard fit(double[] rows, int nRows, int width) {
        double[] lo = new double[width];
        double[] hi = new double[width];
        double[] span = new double[width];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        // Row by row, as the rows lie in memory: a pass per column read one value a cache line, and was most of
        // this guard's share of a training. min and max give the same result in any order, NaN included.
        for (int r = 0, base = 0; r < nRows; r++, base += width) {
            for (int c = 0; c < width; c++) {
                double v = rows[base + c];
                lo[c] = Math.min(lo[c], v);
                hi[c] = Math.max(hi[c], v);
            }
        }
        for (int c = 0; c < width; c++) {
            double min = lo[c];
            double max = hi[c];
            span[c] = max > min ? max - min : max != 0 ? Math.abs(max) : Double.POSITIVE_INFINITY;
        }
        return new RangeGuard(lo, hi, span);
    }

    /** Exceedance of column {@code c} for value {@code v}: 0 inside the training range. */
    public double exceedance(int c, double v) {
        return Math.max(0, Math.max(v - hi[c], lo[c] - v)) / span[c];
    }

    /**
     * Exceedance beyond which {@link #side} calls a value outside the range: a tenth of the range's width, so
     * that the noise of a day that happens to reach a little past the training extremes does not count.
     */
    public static final double SIDE_EXCEEDANCE = 0.1;

    /**
     * Which side of the training range {@code v} lies on for column {@code c}: +1 clearly above the largest
     * training value (by {@link #SIDE_EXCEEDANCE} of the range's width), -1 clearly below the smallest, 0 inside,
     * near the edges, or NaN.
     */
    public double side(int c, double v) {
        double margin = SIDE_EXCEEDANCE * span[c];
        return v > hi[c] + margin ? 1 : v < lo[c] - margin ? -1 : 0;
    }

    /** The 0-100 score of an exceedance, piecewise linear and monotone. */
    public static double score(double exceedance) {
        for (int i = 1; i < EXCEEDANCE.length; i++) {
            if (exceedance <= EXCEEDANCE[i]) {
                double t = (exceedance - EXCEEDANCE[i - 1]) / (EXCEEDANCE[i] - EXCEEDANCE[i - 1]);
                return SCORE[i - 1] + t * (SCORE[i] - SCORE[i - 1]);
            }
        }
        return SCORE[SCORE.length - 1];
    }

    /** Number of columns. */
    public int width() {
        return lo.length;
    }
}
