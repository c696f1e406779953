package io.headroom.cycle;

import io.headroom.collect.Series;
import io.headroom.collect.StepGrid;
import io.headroom.detect.Interval;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The failure query's answer as the intervals training leaves out. */
public final class FailureRuns {

    private FailureRuns() {}

    /**
     * Per workload, the runs of grid points where a failure query's series is above 0: what training leaves out.
     * Shared by the daemon's training and the backtest, which fetches the query once for its whole span and
     * slices these per training.
     */
    public static Map<String, List<Interval>> of(List<Series> series, String workloadLabel, StepGrid grid) {
        Map<String, List<Interval>> out = new HashMap<>();
        long[] millis = new long[grid.size()];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = grid.timestampAt(i);
        }
        for (Series s : series) {
            String w = s.labels().get(workloadLabel);
            if (w == null) {
                continue;
            }
            double[] values = new double[millis.length];
            java.util.Arrays.fill(values, Double.NaN);
            for (int i = 0; i < s.size(); i++) {
                int idx = grid.indexOf(s.timestampAt(i));
                if (idx >= 0) {
                    values[idx] = s.valueAt(i);
                }
            }
            out.computeIfAbsent(w, k -> new ArrayList<>()).addAll(Interval.positiveRuns(millis, values));
        }
        return out;
    }
}
