package io.headroom.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.FeatureSpec;
import io.headroom.config.FeatureSpec.Direction;
import io.headroom.config.FeatureSpec.Kind;
import io.headroom.config.FeatureSpec.Pressure;
import io.headroom.decide.FeatureAttribution;
import io.headroom.decide.Resource;
import io.headroom.decide.WorkloadScore;
import io.headroom.detect.Scorer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the policy learns from a detection result: which features the newest, scored row lacked. */
class ScoresTest {

    static final List<FeatureSpec> FEATURES = List.of(
            new FeatureSpec("cpu_utilisation", "q1", Kind.GAUGE, Pressure.CPU, Direction.ABOVE),
            new FeatureSpec("memory_usage_ratio", "q2", Kind.GAUGE, Pressure.MEMORY, Direction.ABOVE),
            new FeatureSpec("disk_read_bytes_rate", "q3", Kind.COUNTER, Pressure.IO, Direction.ABOVE));

    static WorkloadScore score(double... rows) {
        Scorer.Result r = new Scorer.Result("web-1", Optional.empty(), 80, new double[] {0.5, 0.3, 0.2},
                new double[] {1, 1, 1}, rows);
        return Scores.forPolicy(Map.of("web-1", r), FEATURES, Duration.ofSeconds(30)).get("web-1");
    }

    @Test
    void aFeatureMissingInTheNewestRowIsMarkedImputedAndNamedForItsResource() {
        // oldest row complete, newest row without CPU
        WorkloadScore s = score(0.5, 0.6, 100, Double.NaN, 0.7, 120);

        assertThat(s.attribution()).extracting(FeatureAttribution::imputed).containsExactly(true, false, false);
        assertThat(s.imputed(Resource.CPU)).containsExactly("cpu_utilisation");
        assertThat(s.imputed(Resource.CPU_QUOTA)).containsExactly("cpu_utilisation");
        assertThat(s.imputed(Resource.MEMORY)).isEmpty();
    }

    @Test
    void aGapInAnOlderRowIsNotTheNewestRowsConcern() {
        WorkloadScore s = score(Double.NaN, Double.NaN, 100, 0.5, 0.7, 120);

        assertThat(s.attribution()).noneMatch(FeatureAttribution::imputed);
    }
}
