package io.headroom.detect;

import java.util.Arrays;

/** Empirical quantiles with linear interpolation between order statistics (numpy's default). */
final class Quantiles {
    private Quantiles() {
    }

    /** @return a sorted copy of {@code values}; throws if it holds NaN, since NaN has no rank */
    static double[] sortedCopy(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length > 0 && Double.isNaN(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("values contain NaN");
        }
        return sorted;
    }

    /**
     * @param sorted ascending values, not empty
     * @param q      quantile in [0, 1]
     * @return the value at rank {@code q * (n - 1)}, interpolated linearly
     */
    static double ofSorted(double[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(q >= 0.0 && q <= 1.0)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }
}
