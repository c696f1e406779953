package io.headroom.detect;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the model sees where a value is undefined (missing sample, not enough history): the column's median on
 * the training rows, so that a gap looks ordinary rather than extreme. Columns never defined in training get 0.
 * Learned once per model and stored with it, so training and scoring treat gaps the same way.
 */
public final class Imputation implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double[] fill;

    private Imputation(double[] fill) {
        this.fill = fill;
    }

    /** Learns per-column medians from {@code nRows} rows of {@code width} values. */
    public static Imputation fit(double[] rows, int nRows, int width) {
        double[] fill = new double[width];
        double[] column = new double[nRows];
        for (int c = 0; c < width; c++) {
            int k = 0;
            for (int r = 0; r < nRows; r++) {
                double v = rows[r * width + c];
                if (!Double.isNaN(v)) {
                    column[k++] = v;
                }
            }
            if (k == 0) {
                fill[c] = 0;
                continue;
            }
            Arrays.sort(column, 0, k);
            fill[c] = k % 2 == 1 ? column[k / 2] : (column[k / 2 - 1] + column[k / 2]) / 2;
        }
        return new Imputation(fill);
    }

    /** Replaces every NaN in place with its column's fill value. */
    public void apply(double[] rows, int nRows) {
        int width = fill.length;
        for (int r = 0; r < nRows; r++) {
            int base = r * width;
            for (int c = 0; c < width; c++) {
                if (Double.isNaN(rows[base + c])) {
                    rows[base + c] = fill[c];
                }
            }
        }
    }

    /** The value that replaces a missing one in {@code column}: its training median. */
    public double fill(int column) {
        return fill[column];
    }

    /** Number of columns. */
    public int width() {
        return fill.length;
    }
}
