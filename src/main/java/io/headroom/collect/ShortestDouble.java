package io.headroom.collect;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a finite double as the shortest decimal that parses back to the same double, in plain notation for
 * magnitudes in [1e-6, 1e21) and as {@code 1.5E-7} outside (the thresholds of JavaScript's number formatting).
 *
 * <p>Needed because Java 17's {@link Double#toString} sometimes prints more digits than necessary
 * ({@code 2e23} as {@code 1.9999999999999998E23}) and always appends {@code .0} to whole numbers.
 */
public final class ShortestDouble {

    private static final double PLAIN_MIN = 1e-6;
    private static final double PLAIN_MAX = 1e21;
    private static final double EXACT_LONG_MAX = 0x1p53;

    private ShortestDouble() {}

    /** The shortest text that parses back to {@code d}; {@code d} must be finite. */
    public static String format(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not a finite number: " + d);
        }
        if (d == Math.rint(d) && Math.abs(d) < EXACT_LONG_MAX) {
            return Long.toString((long) d);
        }
        BigDecimal decimal = shortest(d);
        double magnitude = Math.abs(d);
        if (magnitude >= PLAIN_MIN && magnitude < PLAIN_MAX) {
            return decimal.toPlainString();
        }
        return scientific(decimal);
    }

    /**
     * {@link Double#toString} always round-trips, so its digit count is an upper bound; only a 16- or 17-digit
     * output can be longer than needed. Shorter candidates are roundings of the exact binary value: if rounding to
     * n digits reads back as {@code d}, so does rounding to n+1, so when one digit less fails (a value that truly
     * needs all its digits, the common case) nothing shorter is tried, and otherwise a binary search finds the
     * shortest.
     */
    private static BigDecimal shortest(double d) {
        BigDecimal decimal = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int digits = decimal.precision();
        if (digits < 16) {
            return decimal;
        }
        BigDecimal exact = new BigDecimal(d);
        if (!roundTrips(exact, digits - 1, d)) {
            return decimal;
        }
        int low = 1;
        int high = digits - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (roundTrips(exact, mid, d)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return round(exact, high).stripTrailingZeros();
    }

    private static boolean roundTrips(BigDecimal exact, int digits, double d) {
        return round(exact, digits).doubleValue() == d;
    }

    private static BigDecimal round(BigDecimal exact, int digits) {
        return exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
    }

    private static String scientific(BigDecimal decimal) {
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - decimal.scale();
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (decimal.signum() < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        return out.append('E').append(exponent).toString();
    }
}
