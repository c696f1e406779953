package io.headroom.decide;

import java.util.List;

/**
 * A workload's anomaly score from the detection stage.
 *
 * @param score       0 (normal) to 100 (most anomalous)
 * @param attribution per-feature contributions to the score
 */
public record WorkloadScore(double score, List<FeatureAttribution> attribution) {

    public WorkloadScore {
        if (!(score >= 0 && score <= 100)) {
            throw new IllegalArgumentException("a score is between 0 and 100 (got " + score + ")");
        }
        attribution = List.copyOf(attribution);
    }
}
