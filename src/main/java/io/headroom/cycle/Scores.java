package io.headroom.cycle;

import io.headroom.config.FeatureSpec;
import io.headroom.decide.FeatureAttribution;
import io.headroom.decide.WorkloadScore;
import io.headroom.detect.Scorer;
import io.headroom.decide.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns detection results into the decision stage's input, joining each feature's pressure and direction. */
public final class Scores {

    private Scores() {}

    /** Scored workloads only; a workload without a score is absent, which the policy reads as "no model". */
    public static Map<String, WorkloadScore> forPolicy(Map<String, Scorer.Result> results, List<FeatureSpec> features,
                                                Duration step) {
        Map<String, WorkloadScore> out = new TreeMap<>();
        for (Scorer.Result r : results.values()) {
            if (!r.scored()) {
                continue;
            }
            List<FeatureAttribution> attribution = new ArrayList<>();
            int newest = r.rows().length - features.size();
            for (int f = 0; f < features.size(); f++) {
                double side = r.direction()[f];
                FeatureSpec spec = features.get(f);
                // Inside its normal range (or without data) a feature keeps its share of the score, so it dilutes
                // the pressure share of the others, but it cannot ask for resources itself.
                FeatureAttribution.Side s = side > 0 ? FeatureAttribution.Side.ABOVE
                        : side < 0 ? FeatureAttribution.Side.BELOW : FeatureAttribution.Side.INSIDE;
                // The model scored the newest row with the training median in this feature's place: the policy must
                // know, or a gap in a resource's own measure reads as an ordinary row.
                boolean imputed = newest >= 0 && Double.isNaN(r.rows()[newest + f]);
                attribution.add(new FeatureAttribution(spec.name(), spec.pressure(), spec.direction(), s,
                        r.attribution()[f], imputed));
            }
            out.put(r.workload(), new WorkloadScore(Math.max(0, Math.min(100, r.score())), attribution,
                    usage(r.rows(), features, step)));
        }
        return out;
    }

    /** The columns of the features that measure use, out of the scored rows (row-major, matrix feature order). */
    public static Usage usage(double[] rows, List<FeatureSpec> features, Duration step) {
        int nf = features.size();
        int n = nf == 0 ? 0 : rows.length / nf;
        double[] cpu = new double[0];
        double[] memory = new double[0];
        boolean shareOfMax = false;
        for (int f = 0; f < nf; f++) {
            FeatureSpec.Usage u = features.get(f).usage();
            if (u == FeatureSpec.Usage.NONE) {
                continue;
            }
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = rows[i * nf + f];
            }
            if (u == FeatureSpec.Usage.CPU_CORES) {
                cpu = column;
            } else {
                memory = column;
                shareOfMax = u == FeatureSpec.Usage.MEMORY_SHARE_OF_MAX;
            }
        }
        return new Usage(step, cpu, memory, shareOfMax);
    }
}
