package io.headroom.cli;

import java.util.Arrays;

/**
 * Places the rows of a {@link SeriesCsv} on a grid of regular steps. Feature engineering counts its windows in
 * rows, so a row missing from a timestamped file must become a row of missing values, or a 30-minute window would
 * silently reach further back after every gap.
 */
final class RowLayout {

    /** Largest grid, in values, that a layout may ask for; beyond it the gaps are implausible rather than real. */
    private static final long MAX_VALUES = 1L << 28;

    private RowLayout() {}

    /**
     * The usual spacing of the timestamps: the median difference between consecutive rows (robust to a few gaps),
     * rounded to whole seconds and at least 1 s; 0 when it cannot be told (no timestamps, a single row).
     */
    static long inferStepSeconds(long[] timestamps) {
        if (timestamps == null || timestamps.length < 2) {
            return 0;
        }
        long[] diffs = new long[timestamps.length - 1];
        for (int i = 0; i < diffs.length; i++) {
            diffs[i] = timestamps[i + 1] - timestamps[i];
        }
        Arrays.sort(diffs);
        return Math.max(1, Math.round(diffs[diffs.length / 2] / 1000.0));
    }

    /**
     * Grid index of each row. Rows without timestamps are consecutive. Timestamped rows sit at their time rounded
     * to the step; a gap longer than {@code maxGap} steps is shortened to {@code maxGap} missing rows, since the
     * engineering looks back no further and the grid would only grow.
     *
     * @param maxGap most missing rows inserted for one gap (the engineering's lookback)
     */
    static int[] positions(SeriesCsv s, long stepSeconds, int maxGap) throws InputException {
        int[] pos = new int[s.rows()];
        long[] t = s.timestamps();
        if (t == null) {
            Arrays.setAll(pos, i -> i);
            return pos;
        }
        long step = stepSeconds * 1000;
        long previous = 0;
        for (int i = 1; i < s.rows(); i++) {
            long slot = Math.round((double) (t[i] - t[0]) / step);
            long delta = slot - previous;
            if (delta < 1) {
                throw new InputException(s.file() + " line " + s.lines()[i] + ": less than half a step ("
                        + stepSeconds + "s) after the previous row; pass a smaller --step");
            }
            pos[i] = Math.addExact(pos[i - 1], (int) Math.min(delta, maxGap + 1L));
            previous = slot;
        }
        return pos;
    }

    /** Steps from the last row of {@code before} to the first of {@code after}, shortened like a gap; 1 without timestamps. */
    static int stepsBetween(SeriesCsv before, SeriesCsv after, long stepSeconds, int maxGap) throws InputException {
        if (before.timestamps() == null || after.timestamps() == null) {
            return 1;
        }
        long gap = after.timestamps()[0] - before.timestamps()[before.rows() - 1];
        long delta = Math.round((double) gap / (stepSeconds * 1000));
        if (delta < 1) {
            throw new InputException(after.file() + " line " + after.lines()[0] + ": --continue needs it to start at least "
                    + "a step after " + before.file() + " ends");
        }
        return (int) Math.min(delta, maxGap + 1L);
    }

    /**
     * Copies the rows of {@code s} to their grid positions in {@code grid} (row-major, NaN where no row lands),
     * starting at grid row {@code offset}.
     */
    static void place(SeriesCsv s, int[] positions, double[] grid, int offset) {
        int nf = s.features().size();
        for (int i = 0; i < s.rows(); i++) {
            System.arraycopy(s.values(), i * nf, grid, (offset + positions[i]) * nf, nf);
        }
    }

    /** A grid of {@code rows} missing rows, refusing sizes that only absurd gaps could produce. */
    static double[] emptyGrid(int rows, int nFeatures, String what) throws InputException {
        if ((long) rows * nFeatures > MAX_VALUES) {
            throw new InputException(what + ": " + rows + " steps of " + nFeatures + " features is too large; are the "
                    + "timestamps and --step right?");
        }
        double[] grid = new double[rows * nFeatures];
        Arrays.fill(grid, Double.NaN);
        return grid;
    }
}
