package io.headroom.collect;

import io.headroom.config.FeatureSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Places the series of one feature's query on the step grid, one array per workload. */
final class FeatureAlignment {

    // Logged under FeatureCollector, the public class operators know and configure.
    private static final Logger log = LoggerFactory.getLogger(FeatureCollector.class);

    private FeatureAlignment() {}

    /**
     * @return workload → values on the grid (NaN where missing), counter features already turned into rates
     */
    static Map<String, double[]> align(FeatureSpec spec, List<Series> series, String workloadLabel,
            Optional<Set<String>> workloads, StepGrid grid) {
        Map<String, double[]> byWorkload = new HashMap<>();
        int unlabelled = 0;
        List<String> duplicated = new ArrayList<>();
        for (Series s : series) {
            String workload = s.labels().get(workloadLabel);
            if (workload == null) {
                unlabelled++;
            } else if (workloads.isPresent() && !workloads.get().contains(workload)) {
                continue;
            } else if (byWorkload.containsKey(workload)) {
                duplicated.add(workload);
            } else {
                byWorkload.put(workload, onGrid(s, grid));
            }
        }
        if (unlabelled > 0) {
            log.debug("feature {}: ignored {} series without label {}", spec.name(), unlabelled, workloadLabel);
        }
        if (!duplicated.isEmpty()) {
            log.warn("feature {}: more than one series for workloads {}; kept the first of each. The query should "
                    + "aggregate by ({})", spec.name(), duplicated, workloadLabel);
        }
        if (spec.kind() == FeatureSpec.Kind.COUNTER) {
            byWorkload.replaceAll((workload, raw) -> rates(raw, grid.stepSeconds()));
        }
        return byWorkload;
    }

    /** Values at grid timestamps; off-grid points are dropped and NaN or infinite values count as missing. */
    private static double[] onGrid(Series series, StepGrid grid) {
        double[] values = new double[grid.size()];
        Arrays.fill(values, Double.NaN);
        for (int i = 0; i < series.size(); i++) {
            int step = grid.indexOf(series.timestampAt(i));
            double v = series.valueAt(i);
            if (step >= 0 && Double.isFinite(v)) {
                values[step] = v;
            }
        }
        return values;
    }

    /**
     * Per-second increase between consecutive steps. A decrease is a counter reset, after which the counter
     * restarted from zero, so the increase is the new value itself (as Prometheus' {@code rate()} assumes). The
     * first step and any step next to a gap have no rate: nothing is guessed.
     */
    static double[] rates(double[] raw, double stepSeconds) {
        double[] rates = new double[raw.length];
        Arrays.fill(rates, Double.NaN);
        for (int i = 1; i < raw.length; i++) {
            double previous = raw[i - 1];
            double current = raw[i];
            if (!Double.isNaN(previous) && !Double.isNaN(current)) {
                rates[i] = (current >= previous ? current - previous : current) / stepSeconds;
            }
        }
        return rates;
    }
}
