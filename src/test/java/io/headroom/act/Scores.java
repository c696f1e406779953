package io.headroom.act;

import io.headroom.config.FeatureSpec.Direction;
import io.headroom.config.FeatureSpec.Pressure;
import io.headroom.decide.FeatureAttribution;
import io.headroom.decide.FeatureAttribution.Side;
import io.headroom.decide.WorkloadScore;
import java.util.List;

/** Scores as the detection stage would give them. */
final class Scores {

    private Scores() {}

    /** CPU and memory both well above normal. */
    static WorkloadScore pressure(double score) {
        return new WorkloadScore(score, List.of(
                new FeatureAttribution("cpu_utilisation", Pressure.CPU, Direction.ABOVE, Side.ABOVE, 0.6),
                new FeatureAttribution("memory_usage_ratio", Pressure.MEMORY, Direction.ABOVE, Side.ABOVE, 0.4)));
    }

    /** Nothing unusual. */
    static WorkloadScore calm() {
        return pressure(5);
    }
}
