package io.headroom.decide;

import io.headroom.config.DecideConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * What one resource's measured use says against the allocation it ran with, in the use's own units (cores or
 * bytes). The trend is robust, like a Theil-Sen line but linear in time: the median of the window's newest third
 * minus the median of its oldest third, over the time between them. Outliers and noise move a median little, so a
 * noisy guest's spike neither fakes a trend nor hides one.
 *
 * @param level      the trend's value at the newest row, or the recent rows' median if that is higher
 * @param perHour    the trend's slope, per hour
 * @param spread     how far use rises above the trend (90th percentile of the residuals, never negative)
 * @param need       {@code max(level, trend at the horizon) + spread}, plus the sizing margin
 * @param allocation what the guest had, in the same units
 * @param recent     the median of the rows within {@code saturation_after} (at least the newest row)
 * @param recentPeak the largest of those rows
 * @param saturated  {@code recent} is at or above {@code near} of the allocation: a censored metric (cores used
 *                   cannot pass the vCPUs) says nothing about demand beyond it, so this is pressure
 * @param reaches    the trend reaches the allocation within the horizon
 * @param horizonHours how far ahead the trend was read: {@code decide.horizon}, but never further than the window it
 *                   was measured over (a ten-minute slope says nothing about the next hour: an hourly wave would
 *                   read as a leak)
 * @param strain     how often use was near the allocation in the least probable trailing window, and before it
 */
record UseReading(double level, double perHour, double spread, double need, double allocation, double recent,
                  double recentPeak, boolean saturated, boolean reaches, double horizonHours, Strain strain) {

    /**
     * Sustained saturation. A censored metric (cores used cannot pass the vCPUs) pinned at its allocation sits
     * inside its training range however far demand lies beyond it, so the anomaly score cannot see a CPU surge on a
     * guest whose normal daily peak already touches its vCPUs: the surge shows only as the pinning lasting. At such
     * a peak a noisy guest is near its vCPUs now and then (a third of its rows, say); a surge pins it for most of
     * them, and a few minutes pinned is when its service fails. So the newest rows are tested against the guest's
     * own usual rate of being near, the share of the lookback's earlier rows near it: a resource near its allocation
     * in at least {@code strain_share} of the rows of a trailing window, a count that rate would reach by chance less
     * than once in {@link #CHANCE} (a binomial tail), is strained. The windows run from half of
     * {@code strain_window} to all of it: a guest that was rarely near is strained after half the window pinned
     * (five minutes of the default ten), one near a third of the time after eight, so a surge is raised before it
     * has pinned the guest long enough to fail it, and a noisy peak is not. A guest near its allocation in more
     * than {@link #USUAL} of the earlier rows (a CPU-bound batch job, a guest whose page cache fills its memory) is
     * never strained by being there again.
     *
     * @param share   the share of the window's rows near the allocation (NaN: too few rows)
     * @param usual   the share of the earlier rows near it (NaN: too few rows)
     * @param rows    the window's rows with data
     * @param chance  the probability of at least that many rows near in the window at the usual rate, times the
     *                number of windows tried (NaN: too few rows, or the share or the usual already rules strain out)
     * @param strained share at least {@code strain_share}, usual at most {@link #USUAL} and chance under
     *                 {@link #CHANCE}
     */
    record Strain(double share, double usual, int rows, double chance, boolean strained) {

        /**
         * The most the earlier rows may have been near for the window to be out of the ordinary. A noisy guest whose
         * peak puts it near its allocation in a third of its rows or more may be near in most of ten minutes by
         * chance (a model of the noisy benchmark's guests made one false raise in 1,320 guest-days at a half, none
         * at a third, for a sixth fewer surges caught in time); lasting pinning on top of a lower usual is a surge.
         */
        static final double USUAL = 1.0 / 3;

        /**
         * How improbable the window must be at the usual rate. A guest is read every cycle, a minute apart at the
         * default interval: at one in a million per reading (the windows' count already multiplied in), a guest
         * whose rate of being near stays what it was is strained by chance at most once in 700 guest-days (1,440
         * readings a day; fewer in fact, as a minute's windows overlap the last one's).
         * The rate does not stay put (it climbs towards a daily peak), which is what the margin is for: on the
         * noisy benchmark, seeds 1-6 (44 guests, 72 hours each), no guest was raised outside an incident.
         */
        static final double CHANCE = 1e-6;

        static final Strain NONE = new Strain(Double.NaN, Double.NaN, 0, Double.NaN, false);

        /**
         * Reads the trailing windows of {@code use}, from half of {@code windowRows} to all of it, against the rows
         * before each, and keeps the least probable strained one, else the whole window's reading. Both sides need
         * three quarters of the window's rows with data: a share of a few rows is noise.
         */
        static Strain of(double[] use, int windowRows, double nearLevel, double strainShare) {
            int shortest = Math.max(1, (windowRows + 1) / 2);
            int stride = Math.max(1, windowRows / 10);
            int windows = (windowRows - shortest) / stride + 1;
            NearCounts counts = NearCounts.of(use, nearLevel);
            Strain whole = window(counts, windowRows, windows, strainShare);
            Strain best = whole.strained ? whole : null;
            for (int w = windowRows - stride; w >= shortest; w -= stride) {
                Strain s = window(counts, w, windows, strainShare);
                if (s.strained && (best == null || s.chance < best.chance)) {
                    best = s;
                }
            }
            return best != null ? best : whole;
        }

        private static Strain window(NearCounts counts, int windowRows, int windows, double strainShare) {
            int from = Math.max(0, counts.length() - windowRows);
            double[] now = counts.between(from, counts.length());
            double[] before = counts.between(0, from);
            int enough = (int) Math.ceil(0.75 * windowRows);
            if (now[1] < enough || before[1] < enough) {
                return NONE;
            }
            double share = now[0] / now[1];
            double usual = before[0] / before[1];
            if (share < strainShare || usual > USUAL) {
                // Strain needs all three, so the tail is summed only for a window that is mostly near (a few terms),
                // not for every guest of the fleet every cycle.
                return new Strain(share, usual, (int) now[1], Double.NaN, false);
            }
            // The usual rate with one row either way (Laplace's rule): a guest never near before is not
            // "impossible" to find near, only unlikely.
            double rate = (before[0] + 1) / (before[1] + 2);
            double chance = Math.min(1, windows * binomialTail((int) now[0], (int) now[1], rate));
            return new Strain(share, usual, (int) now[1], chance, chance < CHANCE);
        }

        /** P(X >= k) for X ~ Binomial(n, p), summed from the top (the terms are tiny, never 1 minus a sum). */
        static double binomialTail(int k, int n, double p) {
            double sum = 0;
            for (int j = n; j >= k; j--) {
                sum += Math.exp(CombinatoricsUtils.binomialCoefficientLog(n, j) + j * Math.log(p)
                        + (n - j) * Math.log1p(-p));
            }
            return sum;
        }

        /**
         * Running counts over {@code use}: {@code near[i]} rows at or above the level and {@code rows[i]} rows with
         * data among the first {@code i}, so each window and the rows before it are two subtractions, not a pass.
         */
        private record NearCounts(int[] near, int[] rows) {

            static NearCounts of(double[] use, double level) {
                int[] near = new int[use.length + 1];
                int[] rows = new int[use.length + 1];
                for (int i = 0; i < use.length; i++) {
                    boolean data = Double.isFinite(use[i]);
                    rows[i + 1] = rows[i] + (data ? 1 : 0);
                    near[i + 1] = near[i] + (data && use[i] >= level ? 1 : 0);
                }
                return new NearCounts(near, rows);
            }

            /** The length of {@code use}. */
            int length() {
                return rows.length - 1;
            }

            /** {rows near, rows with data} in {@code use[from, to)}. */
            double[] between(int from, int to) {
                return new double[] {near[to] - near[from], rows[to] - rows[from]};
            }
        }

        /** E.g. {@code near in 18 of the last 18 rows (12% before them)}. */
        String describe() {
            return String.format(Locale.ROOT, "near in %d of the last %d rows (%.0f%% before them)",
                    Math.round(share * rows), rows, usual * 100);
        }
    }

    /** Fewer rows than this make no trend. */
    static final int MIN_ROWS = 6;

    /**
     * Reads {@code use} (oldest first, NaN = no data) against {@code allocation}; empty when the window holds fewer
     * than {@link #MIN_ROWS} values or the allocation is unknown.
     */
    static Optional<UseReading> of(double[] use, Duration step, double allocation, DecideConfig.Sizing s) {
        if (use.length == 0 || !(allocation > 0)) {
            return Optional.empty();
        }
        double stepHours = step.toMillis() / 3_600_000.0;
        int windowRows = rows(s.window(), step, MIN_ROWS);
        int from = Math.max(0, use.length - windowRows);
        double[] t = new double[use.length - from];
        double[] v = new double[t.length];
        int n = 0;
        for (int i = from; i < use.length; i++) {
            if (Double.isFinite(use[i])) {
                t[n] = (i - (use.length - 1)) * stepHours;
                v[n++] = use[i];
            }
        }
        if (n < MIN_ROWS || !Double.isFinite(use[use.length - 1])) {
            // Without the newest row the guest is not being measured now (a failed scrape): no reading, no action on it.
            return Optional.empty();
        }
        int third = n / 3;
        double m1 = median(v, 0, third);
        double m3 = median(v, n - third, n);
        double c1 = mean(t, 0, third);
        double c3 = mean(t, n - third, n);
        double perHour = c3 > c1 ? (m3 - m1) / (c3 - c1) : 0;
        double level = m3 + perHour * (0 - c3);
        double[] residuals = new double[n];
        for (int i = 0; i < n; i++) {
            residuals[i] = v[i] - (level + perHour * t[i]);
        }
        Arrays.sort(residuals);
        double spread = residuals[(int) Math.floor(0.9 * (n - 1))];
        int recentRows = rows(s.saturationAfter(), step, 1);
        int recentFrom = Math.max(0, use.length - recentRows);
        double[] r = Arrays.stream(use, recentFrom, use.length).filter(Double::isFinite).toArray();
        double recent = median(r, 0, r.length);
        double peak = Arrays.stream(r).max().orElse(recent);
        // The medians of thirds lag a rise that began within the window's last third: the recent rows are the
        // better "now" then, and the spread counts only what rises above that level, not the rise itself again.
        if (recent > level) {
            spread -= recent - level;
            level = recent;
        } else if (recent < m3 && perHour > 0) {
            // They lag a fall too: rows newer than the newest third's median and below it mean the rise is over (a
            // surge that ended). Extrapolating it would keep a guest that has calmed down from ever decaying.
            perHour = 0;
            level = recent;
        }
        spread = Math.max(0, spread);
        double horizonHours = Math.min(s.horizon().toMillis() / 3_600_000.0, -t[0] + stepHours);
        double ahead = level + perHour * horizonHours;
        double need = (Math.max(level, ahead) + spread) * (1 + s.margin());
        boolean saturated = recent >= s.near() * allocation;
        boolean reaches = perHour > 0 && ahead >= allocation;
        Strain strain = Strain.of(use, rows(s.strainWindow(), step, 1), s.near() * allocation, s.strainShare());
        return Optional.of(new UseReading(level, perHour, spread, need, allocation, recent, peak, saturated, reaches,
                horizonHours, strain));
    }

    /** The rows of {@code step} in a trailing {@code span}, and never fewer than {@code atLeast}. */
    private static int rows(Duration span, Duration step, int atLeast) {
        return (int) Math.max(atLeast, span.toMillis() / step.toMillis());
    }

    /** True if use puts the resource under pressure: saturated, or its trend reaches the allocation in time. */
    boolean pressure() {
        return saturated || reaches;
    }

    /** True if the resource has been near its allocation most of a trailing window, far more than usual. */
    boolean strained() {
        return strain.strained();
    }

    /**
     * True if use has room below {@code lower} (an allocation in the same units) with {@code margin} to spare: the
     * recent rows stay under {@code lower * (1 - margin)}.
     */
    boolean calmBelow(double lower, double margin) {
        // The recent rows only: a trend read over an hour still carries an incident that has ended for most of
        // that hour, and would hold a calmed guest raised; the decay timer itself asks for decay.after of calm.
        return recentPeak <= lower * (1 - margin);
    }

    /** E.g. {@code use 8.1GiB of 9.2GiB, trend +0.62GiB/h, spread 0.05GiB}. */
    String describe(Resource r) {
        return "use " + fmt(r, recent) + " of " + fmt(r, allocation) + ", trend " + (perHour >= 0 ? "+" : "")
                + fmt(r, perHour) + "/h, spread " + fmt(r, spread);
    }

    /** A use figure: cores with two decimals, memory in GiB with two. */
    static String fmt(Resource r, double v) {
        return r == Resource.MEMORY ? String.format(Locale.ROOT, "%.2fGiB", v / (1L << 30))
                : String.format(Locale.ROOT, "%.2f cores", v);
    }

    private static double median(double[] a, int from, int to) {
        if (to <= from) {
            return Double.NaN;
        }
        double[] c = Arrays.copyOfRange(a, from, to);
        Arrays.sort(c);
        int m = c.length / 2;
        return c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
    }

    private static double mean(double[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        return s / Math.max(1, to - from);
    }
}
