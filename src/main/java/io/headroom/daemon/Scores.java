package io.headroom.daemon;

import io.headroom.config.FeatureSpec;
import io.headroom.decide.FeatureAttribution;
import io.headroom.decide.WorkloadScore;
import io.headroom.detect.Scorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns detection results into the decision stage's input, joining each feature's pressure and direction. */
final class Scores {

    private Scores() {}

    /** Scored workloads only; a workload without a score is absent, which the policy reads as "no model". */
    static Map<String, WorkloadScore> forPolicy(Map<String, Scorer.Result> results, List<FeatureSpec> features) {
        Map<String, WorkloadScore> out = new TreeMap<>();
        for (Scorer.Result r : results.values()) {
            if (!r.scored()) {
                continue;
            }
            List<FeatureAttribution> attribution = new ArrayList<>();
            for (int f = 0; f < features.size(); f++) {
                double side = r.direction()[f];
                FeatureSpec spec = features.get(f);
                // Inside its normal range (or without data) a feature keeps its share of the score, so it dilutes
                // the pressure share of the others, but it cannot ask for resources itself.
                FeatureAttribution.Side s = side > 0 ? FeatureAttribution.Side.ABOVE
                        : side < 0 ? FeatureAttribution.Side.BELOW : FeatureAttribution.Side.INSIDE;
                attribution.add(new FeatureAttribution(spec.name(), spec.pressure(), spec.direction(), s,
                        r.attribution()[f]));
            }
            out.put(r.workload(), new WorkloadScore(Math.max(0, Math.min(100, r.score())), attribution));
        }
        return out;
    }
}
