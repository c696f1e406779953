package io.headroom.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Causal feature engineering on one workload's time series: every output row uses only input rows at or before
 * it, so a model scored at time t never sees data from after t (the backtest relies on this).
 *
 * <p>For each input feature x and each configured {@link Transform}, one output column:
 * <ul>
 *   <li>{@code level}: x[t] itself;</li>
 *   <li>{@code deviation}: x[t] minus the mean of the {@code window} steps before t, in x's own units;</li>
 *   <li>{@code variability}: standard deviation of x over the window ending at t;</li>
 *   <li>{@code rate}: change per step over the last {@code rateLag} steps;</li>
 *   <li>{@code seasonal}: x[t] minus the workload's usual level at that hour of the day, from its
 *       {@link SeasonalProfile}, when the caller has one; without one, minus the mean of the same time one day and
 *       one week earlier, whichever the rows reach (undefined until they reach a day);</li>
 *   <li>{@code shift}: the mean of the last {@link Settings#shortWindow} steps up to t minus the mean of the
 *       {@code window} steps before them: a level shift, with the noise of one row averaged away. On a noisy
 *       guest a surge or a hung service moves the level by a few standard deviations of one row, which a single
 *       row's deviation cannot tell from noise, but the short mean can.</li>
 * </ul>
 * Undefined values (missing input, not enough history) are {@code NaN}; {@link Imputation} decides what the
 * model sees for them.
 *
 * <p>Deviation is deliberately not a z-score (deviation over the trailing standard deviation). Many metrics sit
 * flat for long stretches (error counters at 0, a memory limit): their trailing deviation is 0, so the first
 * tick of such a metric is "infinitely" many standard deviations out, and a model trained on those spikes
 * learns little else. On the SMD machines that z-score made {@code [level, deviation]} worse than the raw
 * levels (mean ROC AUC 0.69 against 0.74) while the plain difference made it better (0.80). Scale does not
 * matter to an isolation forest, whose splits are uniform between a column's minimum and maximum, and
 * {@code variability} already tells the model how noisy the window is.
 */
public final class FeatureEngineering {

    /** A per-feature transform. */
    public enum Transform {
        LEVEL, DEVIATION, VARIABILITY, RATE, SEASONAL, SHIFT;

        /** Lower-case name used in configs and column names. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param transforms  transforms applied to every feature, in output order
     * @param window      trailing window, in steps, for deviation and variability (at least 2)
     * @param minSamples  fewest valid samples in the window for deviation/variability to be defined
     * @param rateLag     steps back for rate (at least 1)
     * @param dayLag      steps in one day, for seasonal (0 disables the daily term)
     * @param weekLag     steps in one week, for seasonal (0 disables the weekly term)
     */
    public record Settings(List<Transform> transforms, int window, int minSamples, int rateLag, int dayLag, int weekLag)
            implements java.io.Serializable {
        public Settings {
            transforms = List.copyOf(transforms);
            if (transforms.isEmpty()) {
                throw new IllegalArgumentException("at least one transform is required");
            }
            if (window < 2 || minSamples < 2 || minSamples > window || rateLag < 1 || dayLag < 0 || weekLag < 0) {
                throw new IllegalArgumentException("invalid engineering settings: " + window + "/" + minSamples
                        + "/" + rateLag + "/" + dayLag + "/" + weekLag);
            }
        }

        /** Raw features only: what {@code --raw-features} uses. */
        public static Settings raw() {
            return new Settings(List.of(Transform.LEVEL), 2, 2, 1, 0, 0);
        }

        /** Steps of {@code stepSeconds} in a trailing window of {@code windowSeconds}, with the daily/weekly lags. */
        public static Settings of(List<Transform> transforms, long windowSeconds, long stepSeconds) {
            int w = (int) Math.max(2, windowSeconds / stepSeconds);
            return new Settings(transforms, w, Math.max(2, w / 4), 1,
                    (int) (86_400 / stepSeconds), (int) (7 * 86_400 / stepSeconds));
        }

        /**
         * How many steps before a row its transforms read: rows further back cannot change it. A gap in the
         * history longer than this can be shortened to this many missing rows without changing any output.
         */
        public int lookback() {
            int back = 0;
            for (Transform t : transforms) {
                back = Math.max(back, switch (t) {
                    case LEVEL -> 0;
                    case DEVIATION -> window;
                    case VARIABILITY -> window - 1;
                    case RATE -> rateLag;
                    case SEASONAL -> Math.max(dayLag, weekLag);
                    case SHIFT -> window + shortWindow() - 1;
                });
            }
            return back;
        }

        /**
         * Steps of the recent mean that {@code shift} compares with the window before it: a sixth of it (10 minutes
         * of a one-hour window), long enough to average a noisy guest's rows, short enough to see a surge ramp.
         */
        public int shortWindow() {
            return Math.max(2, window / 6);
        }

        /** Number of output columns for {@code nFeatures} inputs. */
        public int outputWidth(int nFeatures) {
            return nFeatures * transforms.size();
        }
    }

    private FeatureEngineering() {}

    /** Output column names: {@code <feature>} for level, {@code <feature>:<transform>} otherwise. */
    public static List<String> columnNames(List<String> features, Settings s) {
        List<String> out = new ArrayList<>(s.outputWidth(features.size()));
        for (String f : features) {
            for (Transform t : s.transforms()) {
                out.add(t == Transform.LEVEL ? f : f + ":" + t.id());
            }
        }
        return out;
    }

    /** The input feature an output column derives from. */
    public static int sourceFeature(int outputColumn, Settings s) {
        return outputColumn / s.transforms().size();
    }

    /**
     * Transforms {@code nRows} rows of {@code nFeatures} values (row-major, oldest first, NaN = missing) into
     * {@code nRows} rows of {@link Settings#outputWidth} values.
     */
    public static double[] apply(double[] rows, int nRows, int nFeatures, Settings s) {
        int width = s.outputWidth(nFeatures);
        double[] out = new double[nRows * width];
        int nt = s.transforms().size();
        for (int f = 0; f < nFeatures; f++) {
            apply(rows, nRows, nFeatures, f, s, out, f * nt, width, null);
        }
        return out;
    }

    /**
     * Engineers column {@code feature} of {@code nRows} rows {@code rowWidth} long into columns {@code offset}
     * onward of a wider row-major matrix whose rows are {@code outWidth} long, as {@link #apply(double[], int, int,
     * Settings)} does each feature: a model's matrix takes each feature's columns where they go, straight from the
     * raw rows, with no matrix of the feature's own to copy them from (a training engineers a week of every guest).
     *
     * @param seasonalBaseline the feature's usual level at each row ({@link SeasonalProfile#baseline}), which
     *                         {@code seasonal} subtracts; null to subtract the same time yesterday and last week
     */
    static void apply(double[] rows, int nRows, int rowWidth, int feature, Settings s, double[] out, int offset,
                      int outWidth, double[] seasonalBaseline) {
        int nt = s.transforms().size();
        if (feature < 0 || feature >= rowWidth || offset < 0 || offset + nt > outWidth
                || out.length < (long) nRows * outWidth) {
            throw new IllegalArgumentException("feature " + feature + " of " + rowWidth + " into columns " + offset
                    + "+" + nt + " of " + nRows + " rows do not fit a matrix " + outWidth + " wide of " + out.length
                    + " values");
        }
        double[] series = new double[nRows];
        for (int r = 0; r < nRows; r++) {
            series[r] = rows[r * rowWidth + feature];
        }
        for (int k = 0; k < nt; k++) {
            int col = offset + k;
            switch (s.transforms().get(k)) {
                case LEVEL -> copy(series, nRows, out, col, outWidth);
                case DEVIATION -> window(series, nRows, s, out, col, outWidth, true);
                case VARIABILITY -> window(series, nRows, s, out, col, outWidth, false);
                case RATE -> rate(series, nRows, s.rateLag(), out, col, outWidth);
                case SEASONAL -> {
                    if (seasonalBaseline == null) {
                        seasonal(series, nRows, s, out, col, outWidth);
                    } else {
                        minus(series, nRows, seasonalBaseline, out, col, outWidth);
                    }
                }
                case SHIFT -> shift(series, nRows, s, out, col, outWidth);
                default -> throw new IllegalStateException();
            }
        }
    }

    private static void copy(double[] x, int n, double[] out, int col, int width) {
        for (int t = 0; t < n; t++) {
            out[t * width + col] = x[t];
        }
    }

    /**
     * Sliding mean (deviation) or standard deviation (variability) over the window. For deviation the window is the {@code w} steps
     * before t (so an outlier does not dilute its own baseline); for variability it ends at t.
     * Values are shifted by the first valid value to keep the running sums well conditioned.
     */
    private static void window(double[] x, int n, Settings s, double[] out, int col, int width, boolean deviation) {
        int w = s.window();
        double shift = Double.NaN;
        for (int t = 0; t < n && Double.isNaN(shift); t++) {
            shift = x[t];
        }
        double sum = 0;
        double sumSq = 0;
        int count = 0;
        int lag = deviation ? 1 : 0;
        for (int t = 0; t < n; t++) {
            int enter = t - lag;
            if (enter >= 0 && !Double.isNaN(x[enter])) {
                double v = x[enter] - shift;
                sum += v;
                sumSq += v * v;
                count++;
            }
            int leave = t - lag - w;
            if (leave >= 0 && !Double.isNaN(x[leave])) {
                double v = x[leave] - shift;
                sum -= v;
                sumSq -= v * v;
                count--;
            }
            double result = Double.NaN;
            if (count >= s.minSamples()) {
                double mean = sum / count;
                if (!deviation) {
                    result = Math.sqrt(Math.max(0, sumSq / count - mean * mean));
                } else if (!Double.isNaN(x[t])) {
                    result = x[t] - shift - mean;
                }
            }
            out[t * width + col] = result;
        }
    }

    /**
     * Mean of rows {@code (t - k, t]} minus mean of rows {@code (t - k - w, t - k]}, from prefix sums over the valid
     * values (shifted by the first one to keep the sums well conditioned). Defined when x[t] is, at least half the
     * recent rows are and {@code minSamples} of the window's are.
     */
    private static void shift(double[] x, int n, Settings s, double[] out, int col, int width) {
        int k = s.shortWindow();
        int w = s.window();
        double origin = Double.NaN;
        for (int t = 0; t < n && Double.isNaN(origin); t++) {
            origin = x[t];
        }
        double[] sum = new double[n + 1];
        int[] count = new int[n + 1];
        for (int t = 0; t < n; t++) {
            boolean ok = !Double.isNaN(x[t]);
            sum[t + 1] = sum[t] + (ok ? x[t] - origin : 0);
            count[t + 1] = count[t] + (ok ? 1 : 0);
        }
        for (int t = 0; t < n; t++) {
            int recentFrom = t + 1 - k;
            int baseFrom = recentFrom - w;
            double result = Double.NaN;
            if (baseFrom >= 0 && !Double.isNaN(x[t])) {
                int nRecent = count[t + 1] - count[recentFrom];
                int nBase = count[recentFrom] - count[baseFrom];
                if (2 * nRecent >= k && nBase >= s.minSamples()) {
                    result = (sum[t + 1] - sum[recentFrom]) / nRecent - (sum[recentFrom] - sum[baseFrom]) / nBase;
                }
            }
            out[t * width + col] = result;
        }
    }

    private static void rate(double[] x, int n, int lag, double[] out, int col, int width) {
        for (int t = 0; t < n; t++) {
            out[t * width + col] = t >= lag ? (x[t] - x[t - lag]) / lag : Double.NaN;
        }
    }

    private static void minus(double[] x, int n, double[] baseline, double[] out, int col, int width) {
        for (int t = 0; t < n; t++) {
            out[t * width + col] = x[t] - baseline[t];
        }
    }

    private static void seasonal(double[] x, int n, Settings s, double[] out, int col, int width) {
        for (int t = 0; t < n; t++) {
            double sum = 0;
            int k = 0;
            if (s.dayLag() > 0 && t >= s.dayLag() && !Double.isNaN(x[t - s.dayLag()])) {
                sum += x[t - s.dayLag()];
                k++;
            }
            if (s.weekLag() > 0 && t >= s.weekLag() && !Double.isNaN(x[t - s.weekLag()])) {
                sum += x[t - s.weekLag()];
                k++;
            }
            out[t * width + col] = k == 0 ? Double.NaN : x[t] - sum / k;
        }
    }
}
