package io.headroom.detect;

import java.io.Serializable;

/**
 * Centres and scales columns by their training mean and standard deviation. The one-class SVM's RBF kernel
 * measures plain Euclidean distance, so without this a byte-rate column (millions) would drown a ratio
 * column (0-1). The isolation forest is scale-free and does not use it.
 */
final class Standardizer implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    static Standardizer fit(double[] rows, int nRows, int width) {
        double[] mean = new double[width];
        double[] scale = new double[width];
        for (int c = 0; c < width; c++) {
            double sum = 0;
            for (int r = 0; r < nRows; r++) {
                sum += rows[r * width + c];
            }
            double m = sum / nRows;
            double ss = 0;
            for (int r = 0; r < nRows; r++) {
                double d = rows[r * width + c] - m;
                ss += d * d;
            }
            double sd = Math.sqrt(ss / nRows);
            mean[c] = m;
            scale[c] = sd > 0 ? sd : 1;
        }
        return new Standardizer(mean, scale);
    }

    /** A standardized copy of {@code nRows} rows. */
    double[] apply(double[] rows, int nRows) {
        int width = mean.length;
        double[] out = new double[nRows * width];
        for (int r = 0; r < nRows; r++) {
            for (int c = 0; c < width; c++) {
                out[r * width + c] = (rows[r * width + c] - mean[c]) / scale[c];
            }
        }
        return out;
    }
}
