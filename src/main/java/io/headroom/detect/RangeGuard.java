package io.headroom.detect;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Flags values outside anything seen in training, which an isolation forest alone under-scores: a split point
 * is drawn between a node's training min and max, so a point far beyond the max is isolated no faster than the
 * most extreme training point (scikit-learn's forest behaves the same). For each column the guard keeps the
 * training range [q0.001, q0.999]; a row's exceedance is how far its furthest column lies outside that range,
 * in units of the range's width, and maps to 0-100:
 * <pre>
 *   exceedance 0 .. 0.25 -> 0 .. 30   (within a quarter width of the extremes: ordinary)
 *              0.25 .. 1 -> 30 .. 70
 *              1 .. 3    -> 70 .. 100 (a full width beyond: clearly abnormal)
 * </pre>
 * The model's score is the larger of the forest's calibrated score and this one.
 */
public final class RangeGuard implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final double[] EXCEEDANCE = {0, 0.25, 1, 3};
    private static final double[] SCORE = {0, 30, 70, 100};

    private final double[] lo;
    private final double[] hi;
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
        double[] col = new double[nRows];
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < nRows; r++) {
                col[r] = rows[r * width + c];
            }
            Arrays.sort(col, 0, nRows);
            lo[c] = col[(int) Math.floor(0.001 * (nRows - 1))];
            hi[c] = col[(int) Math.ceil(0.999 * (nRows - 1))];
            // A constant column has no width: measure departures against its magnitude instead.
            span[c] = hi[c] - lo[c] > 0 ? hi[c] - lo[c] : Math.max(Math.abs(hi[c]), 1e-9);
        }
        return new RangeGuard(lo, hi, span);
    }

    /** Exceedance of column {@code c} for value {@code v}: 0 inside the training range. */
    public double exceedance(int c, double v) {
        return Math.max(0, Math.max(v - hi[c], lo[c] - v)) / span[c];
    }

    /** The 0-100 score of an exceedance, piecewise linear and monotone. */
    public static double score(double exceedance) {
        if (exceedance >= EXCEEDANCE[EXCEEDANCE.length - 1]) {
            return SCORE[SCORE.length - 1];
        }
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
