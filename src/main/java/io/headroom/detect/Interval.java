package io.headroom.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A closed time interval, e.g. a failure or a time Headroom held a change on a guest.
 *
 * @param start first instant
 * @param end   last instant (inclusive)
 */
public record Interval(Instant start, Instant end) {

    public Interval {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("interval ends before it starts: " + start + " .. " + end);
        }
    }

    /** This interval widened by {@code margin} on both sides. */
    public Interval widen(Duration margin) {
        return new Interval(start.minus(margin), end.plus(margin));
    }

    /** True if {@code t} lies inside. */
    public boolean contains(Instant t) {
        return !t.isBefore(start) && !t.isAfter(end);
    }

    /**
     * Per grid row, whether the row may be learned from: false inside any of {@code excluded} (each widened by
     * {@code margin}).
     */
    public static boolean[] trainable(long[] gridMillis, List<Interval> excluded, Duration margin) {
        boolean[] ok = new boolean[gridMillis.length];
        java.util.Arrays.fill(ok, true);
        for (Interval iv : excluded) {
            Interval w = iv.widen(margin);
            long a = w.start().toEpochMilli();
            long b = w.end().toEpochMilli();
            for (int i = 0; i < gridMillis.length; i++) {
                if (gridMillis[i] >= a && gridMillis[i] <= b) {
                    ok[i] = false;
                }
            }
        }
        return ok;
    }

    /**
     * Intervals where {@code values[i] > 0} on a grid, one per run; a run's interval spans its first to last
     * grid point. NaN counts as not failing.
     */
    public static List<Interval> positiveRuns(long[] gridMillis, double[] values) {
        List<Interval> out = new java.util.ArrayList<>();
        int start = -1;
        for (int i = 0; i <= values.length; i++) {
            boolean on = i < values.length && values[i] > 0;
            if (on && start < 0) {
                start = i;
            } else if (!on && start >= 0) {
                out.add(new Interval(Instant.ofEpochMilli(gridMillis[start]), Instant.ofEpochMilli(gridMillis[i - 1])));
                start = -1;
            }
        }
        return out;
    }
}
