package io.headroom.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.DetectionConfig;
import io.headroom.metrics.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the scorer exports follows the workloads and models present, and only them. */
class ScorerTest {

    private static final Instant T = Instant.parse("2026-11-07T00:00:00Z");

    private static FeatureMatrix cycle(List<String> workloads) {
        int n = 120;
        int nf = WorkloadModelTest.FEATURES.size();
        double[] v = new double[workloads.size() * n * nf];
        for (int w = 0; w < workloads.size(); w++) {
            System.arraycopy(WorkloadModelTest.series(n, 5 + w, 0), 0, v, w * n * nf, n * nf);
        }
        StepGrid grid = new StepGrid(T.minusSeconds((n - 1) * 60L), T, Duration.ofSeconds(60));
        return new FeatureMatrix(workloads, WorkloadModelTest.FEATURES, grid, v);
    }

    private static WorkloadModel model(String scope, Instant at) throws Exception {
        int n = 600;
        return new ModelTrainer(WorkloadModelTest.config(", forest: {trees: 5}")).train(scope, WorkloadModelTest.FEATURES,
                List.of(new ModelTrainer.History(WorkloadModelTest.series(n, 3, 0), n, WorkloadModelTest.all(n))),
                WorkloadModelTest.STEP, false, at);
    }

    private static Double value(Metrics m, String name, String... labels) {
        String[] keys = name.equals("headroom_workload_model_info") ? new String[] {"workload", "scope", "type"}
                : new String[] {"scope", "type"};
        return m.registry().getSampleValue(name, keys, labels);
    }

    @Test
    void aDepartedWorkloadAndADroppedModelStopBeingExported(@TempDir Path dir) throws Exception {
        DetectionConfig cfg = WorkloadModelTest.config("");
        ModelRegistry registry = new ModelRegistry(dir);
        registry.putAll(Map.of("workload:a", model("workload:a", T.minus(Duration.ofDays(9))),
                "global", model("global", T)));
        Metrics metrics = Metrics.isolated();
        Scorer scorer = new Scorer(cfg, registry, metrics);

        scorer.scoreLatest(cycle(List.of("a", "b")), Map.of(), T);
        assertThat(value(metrics, "headroom_workload_model_info", "a", "workload", "isolation-forest")).isEqualTo(1.0);
        assertThat(value(metrics, "headroom_workload_model_info", "b", "global", "isolation-forest")).isEqualTo(1.0);
        assertThat(value(metrics, "headroom_model_training_rows", "workload:a", "isolation-forest")).isEqualTo(600.0);

        registry.dropDeparted(Set.of("workload:b"), T.minus(Duration.ofDays(7)));
        scorer.scoreLatest(cycle(List.of("b")), Map.of(), T);
        assertThat(value(metrics, "headroom_workload_model_info", "a", "workload", "isolation-forest")).isNull();
        assertThat(value(metrics, "headroom_workload_model_info", "b", "global", "isolation-forest")).isEqualTo(1.0);
        assertThat(value(metrics, "headroom_model_training_rows", "workload:a", "isolation-forest")).isNull();
        assertThat(value(metrics, "headroom_model_training_rows", "global", "isolation-forest")).isEqualTo(600.0);
    }
}
