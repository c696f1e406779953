package io.headroom.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models of workloads that left are dropped, from memory and from disk, once they are older than the bound. */
class ModelRegistryTest {

    private static final Instant OLD = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant RECENT = Instant.parse("2026-11-07T00:00:00Z");
    private static final Instant CUTOFF = Instant.parse("2026-11-05T00:00:00Z");

    private static WorkloadModel model(String scope, Instant trainedAt) throws Exception {
        int n = 600;
        return new ModelTrainer(WorkloadModelTest.config(", forest: {trees: 5}")).train(scope,
                WorkloadModelTest.FEATURES,
                List.of(new ModelTrainer.History(WorkloadModelTest.series(n, 3, 0), n, WorkloadModelTest.all(n))),
                WorkloadModelTest.STEP, false, trainedAt);
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("models"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void dropsAbsentModelsTrainedBeforeTheCutoffOnly(@TempDir Path dir) throws Exception {
        ModelRegistry registry = new ModelRegistry(dir);
        registry.putAll(Map.of(
                "workload:stays", model("workload:stays", OLD),
                "workload:gone", model("workload:gone", OLD),
                "workload:just-left", model("workload:just-left", RECENT),
                "group:gone", model("group:gone", OLD),
                ModelRegistry.GLOBAL, model(ModelRegistry.GLOBAL, OLD)));

        Set<String> dropped = registry.dropDeparted(Set.of("workload:stays"), CUTOFF);

        assertThat(dropped).containsExactly("group:gone", "workload:gone");
        assertThat(registry.all()).containsOnlyKeys("workload:stays", "workload:just-left", ModelRegistry.GLOBAL);
        assertThat(files(dir)).containsExactly("global.model", "workload%3Ajust-left.model", "workload%3Astays.model");
        ModelRegistry restarted = new ModelRegistry(dir);
        assertThat(restarted.load()).isEqualTo(3);
        assertThat(restarted.all()).containsOnlyKeys("workload:stays", "workload:just-left", ModelRegistry.GLOBAL);
        assertThat(registry.dropDeparted(Set.of("workload:stays"), CUTOFF)).isEmpty();
    }
}
