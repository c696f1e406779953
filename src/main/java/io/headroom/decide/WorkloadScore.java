package io.headroom.decide;

import java.util.List;

/**
 * A workload's anomaly score from the detection stage.
 *
 * @param score       0 (normal) to 100 (most anomalous)
 * @param attribution per-feature contributions to the score
 * @param usage       the workload's measured use over the lookback the score was computed from
 */
public record WorkloadScore(double score, List<FeatureAttribution> attribution, Usage usage) {

    /** A score without any measure of use: sizing by the tiers alone. */
    public WorkloadScore(double score, List<FeatureAttribution> attribution) {
        this(score, attribution, Usage.NONE);
    }

    public WorkloadScore {
        if (!(score >= 0 && score <= 100)) {
            throw new IllegalArgumentException("a score is between 0 and 100 (got " + score + ")");
        }
        attribution = List.copyOf(attribution);
    }

    /** The features that had no value in the scored row and strain {@code r}, in attribution order. */
    public List<String> imputed(Resource r) {
        return attribution.stream().filter(a -> a.imputed() && a.pressure() == r.pressure())
                .map(FeatureAttribution::feature).toList();
    }
}
