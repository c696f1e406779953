package io.headroom.simulate;

import io.headroom.config.FeatureSpec;
import io.headroom.decide.WorkloadScore;
import io.headroom.detect.Scorer;
import java.util.List;
import java.util.Map;

/**
 * Detection results to the decision stage's input. The daemon passes its own conversion
 * ({@code daemon.Scores.forPolicy}) so the simulated headroom policy joins scores to features exactly as
 * {@code headroom run} does, without this package depending on the daemon.
 */
@FunctionalInterface
public interface ScoreAdapter {

    /** Scored workloads only, like the daemon's cycle. */
    Map<String, WorkloadScore> forPolicy(Map<String, Scorer.Result> results, List<FeatureSpec> features,
                                         java.time.Duration step);
}
