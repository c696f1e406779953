package io.headroom.detect;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A workload's usual level of each feature at each hour of the day (UTC), learned from its training history: what
 * the {@code seasonal} transform subtracts, so a guest's daily rhythm is known to the model under the default
 * two-hour lookback, not only under a day-long one. A history of two weeks or more tells the hours of the week
 * apart: each then has the rows of at least two weeks, and a weekend is not measured against a weekday.
 *
 * <p>Each hour's level is the median of the training rows in that hour, not their mean: an incident in the
 * training week (one the failure query did not mark) moves a mean by its size over the hour's rows, the median not
 * at all until it fills half of them. An hour with no training value is unknown (NaN), and so is the seasonal
 * value of a row in it. Whole hours in UTC serve every time zone whose offset is whole hours; the daylight-saving
 * shift moves a rhythm by one slot for half the year, and the next training learns it.
 */
public final class SeasonalProfile implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Hours of the day. */
    public static final int DAY = 24;
    /** Hours of the week. */
    public static final int WEEK = 7 * DAY;
    /** History from which the hours of the week are told apart: each then has the rows of two weeks or more. */
    public static final long WEEKLY_FROM_MILLIS = 14 * 86_400_000L;
    private static final long SLOT_MILLIS = 3_600_000L;

    /** Feature-major: {@code level[f * slots + slot]}, NaN where no training row had a value. */
    private final double[] level;
    private final int nFeatures;
    /** {@link #DAY} or {@link #WEEK}. */
    private final int slots;

    private SeasonalProfile(double[] level, int nFeatures, int slots) {
        this.level = level;
        this.nFeatures = nFeatures;
        this.slots = slots;
    }

    /**
     * Learns the profile of a history.
     *
     * @param raw        {@code nRows} rows of {@code nFeatures} values, oldest first, NaN = missing
     * @param trainable  per row, whether it may be learned from
     * @param firstMillis epoch milliseconds of row 0
     * @param stepMillis milliseconds between rows, positive
     */
    public static SeasonalProfile fit(double[] raw, int nRows, int nFeatures, boolean[] trainable, long firstMillis,
                                      long stepMillis) {
        if (stepMillis <= 0) {
            throw new IllegalArgumentException("step must be positive, got " + stepMillis + " ms");
        }
        double[] daily = medians(raw, nRows, nFeatures, trainable, firstMillis, stepMillis, DAY);
        if ((long) nRows * stepMillis < WEEKLY_FROM_MILLIS) {
            return new SeasonalProfile(daily, nFeatures, DAY);
        }
        // Weekdays and weekends differ for most services. An hour of the week that training never saw a value in
        // takes its hour of the day's.
        double[] weekly = medians(raw, nRows, nFeatures, trainable, firstMillis, stepMillis, WEEK);
        for (int f = 0; f < nFeatures; f++) {
            for (int h = 0; h < WEEK; h++) {
                if (Double.isNaN(weekly[f * WEEK + h])) {
                    weekly[f * WEEK + h] = daily[f * DAY + h % DAY];
                }
            }
        }
        return new SeasonalProfile(weekly, nFeatures, WEEK);
    }

    private static double[] medians(double[] raw, int nRows, int nFeatures, boolean[] trainable, long firstMillis,
                                    long stepMillis, int slots) {
        int[] count = new int[nFeatures * slots];
        for (int r = 0; r < nRows; r++) {
            if (trainable[r]) {
                int slot = slot(firstMillis + r * stepMillis, slots);
                for (int f = 0; f < nFeatures; f++) {
                    if (!Double.isNaN(raw[r * nFeatures + f])) {
                        count[f * slots + slot]++;
                    }
                }
            }
        }
        // One array of every value, cut into the slots' runs, so that the medians cost one copy of the history.
        int[] start = new int[count.length + 1];
        for (int i = 0; i < count.length; i++) {
            start[i + 1] = start[i] + count[i];
        }
        double[] values = new double[start[count.length]];
        int[] fill = Arrays.copyOf(start, count.length);
        for (int r = 0; r < nRows; r++) {
            if (trainable[r]) {
                int slot = slot(firstMillis + r * stepMillis, slots);
                for (int f = 0; f < nFeatures; f++) {
                    double v = raw[r * nFeatures + f];
                    if (!Double.isNaN(v)) {
                        values[fill[f * slots + slot]++] = v;
                    }
                }
            }
        }
        double[] level = new double[count.length];
        for (int i = 0; i < count.length; i++) {
            level[i] = median(values, start[i], start[i + 1]);
        }
        return level;
    }

    private static double median(double[] v, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(v, from, to);
        int mid = from + n / 2;
        return n % 2 == 1 ? v[mid] : 0.5 * (v[mid - 1] + v[mid]);
    }

    /** The hour of the day (UTC) of an instant, 0 to 23, or of the week (from Thursday 00:00), 0 to 167. */
    static int slot(long epochMillis, int slots) {
        return (int) Math.floorMod(Math.floorDiv(epochMillis, SLOT_MILLIS), (long) slots);
    }

    /** Feature {@code f}'s usual level at {@code epochMillis}; NaN if training had none at that hour. */
    public double at(int f, long epochMillis) {
        return level[f * slots + slot(epochMillis, slots)];
    }

    /** {@link #DAY} if the profile knows the hours of the day, {@link #WEEK} if those of the week. */
    public int slots() {
        return slots;
    }

    /** Features the profile covers. */
    public int features() {
        return nFeatures;
    }

    /**
     * Feature {@code f}'s usual level for each of {@code nRows} rows from {@code firstMillis}, {@code stepMillis}
     * apart: the baseline the seasonal transform subtracts.
     */
    double[] baseline(int f, int nRows, long firstMillis, long stepMillis) {
        double[] out = new double[nRows];
        for (int r = 0; r < nRows; r++) {
            out[r] = at(f, firstMillis + r * stepMillis);
        }
        return out;
    }

    @Override
    public String toString() {
        return "SeasonalProfile[" + nFeatures + " features x " + slots + " hours]";
    }
}
