package io.headroom.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.ConfigLoader;
import io.headroom.config.DetectionConfig;
import io.headroom.detect.ModelRegistry;
import io.headroom.detect.Retrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training swaps its models in batch by batch, so the models they replace are let go as it goes. */
class BatchTrainingTest {

    private static final List<String> FEATURES = List.of("cpu", "memory");
    private static final int ROWS = 600;
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final StepGrid GRID = new StepGrid(START, START.plusSeconds((ROWS - 1) * 60L), Duration.ofSeconds(60));

    private static FeatureMatrix matrix(List<String> workloads) {
        double[] v = new double[workloads.size() * ROWS * FEATURES.size()];
        for (int w = 0; w < workloads.size(); w++) {
            SplittableRandom rng = new SplittableRandom(workloads.get(w).hashCode());
            for (int i = 0; i < ROWS; i++) {
                int at = (w * ROWS + i) * FEATURES.size();
                v[at] = 0.4 + 0.2 * Math.sin(i / 50.0) + 0.02 * rng.nextGaussian();
                v[at + 1] = 0.6 + 0.01 * rng.nextGaussian();
            }
        }
        return new FeatureMatrix(workloads, FEATURES, GRID, v);
    }

    private static List<String> fleet(int size) {
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            fleet.add(String.format("vm-%02d", i));
        }
        return fleet;
    }

    @Test
    void eachBatchsModelsAreInTheRegistryBeforeTheBatchAfterNextIsFetched(@TempDir Path dir) throws Exception {
        DetectionConfig cfg = ConfigLoader.parse("detection: {min_training_rows: 300}", null).detection();
        List<String> fleet = fleet(2 * Retrainer.BATCH_WORKLOADS + 3);
        ModelRegistry registry = new ModelRegistry(dir);
        List<Set<String>> seenAtFetch = new ArrayList<>();
        List<String> fetchThreads = new ArrayList<>();
        Retrainer.Result r = BatchTraining.train(cfg, fleet, FEATURES, GRID, Map.of(), Map.of(),
                GRID.end().plusSeconds(60), (batch, wholeFleet) -> {
                    synchronized (seenAtFetch) {
                        seenAtFetch.add(new TreeSet<>(registry.all().keySet()));
                        fetchThreads.add(Thread.currentThread().getName());
                    }
                    return matrix(batch);
                }, registry);

        // The second batch is fetched while the first is fitted, the third only once the first's models are in:
        // one batch ahead, never more.
        assertThat(seenAtFetch).hasSize(3);
        assertThat(seenAtFetch.get(0)).isEmpty();
        Set<String> firstBatch = new TreeSet<>();
        fleet.subList(0, Retrainer.BATCH_WORKLOADS).forEach(w -> firstBatch.add(ModelRegistry.workloadKey(w)));
        assertThat(seenAtFetch.get(2)).containsAll(firstBatch);
        assertThat(fetchThreads).allMatch(t -> t.startsWith("headroom-train-fetch-"));
        // At the end: every own model and the global one, in memory and on disk, none left out for memory.
        assertThat(registry.all().keySet()).hasSize(fleet.size() + 1).contains(ModelRegistry.GLOBAL);
        assertThat(r.models().keySet()).isEqualTo(registry.all().keySet());
        assertThat(r.overBudget()).isZero();
        try (var files = Files.list(dir.resolve("models"))) {
            assertThat(files.count()).isEqualTo(fleet.size() + 1);
        }
    }

    @Test
    void aFailedFetchFailsTheTrainingWithItsOwnErrorAndFetchesNothingAfterIt(@TempDir Path dir) throws Exception {
        DetectionConfig cfg = ConfigLoader.parse("detection: {min_training_rows: 300}", null).detection();
        List<String> fleet = fleet(3 * Retrainer.BATCH_WORKLOADS);
        ModelRegistry registry = new ModelRegistry(dir);
        List<String> fetched = new ArrayList<>();
        String second = fleet.get(Retrainer.BATCH_WORKLOADS);
        assertThatThrownBy(() -> BatchTraining.train(cfg, fleet, FEATURES, GRID, Map.of(), Map.of(),
                GRID.end().plusSeconds(60), (batch, wholeFleet) -> {
                    synchronized (fetched) {
                        fetched.add(batch.get(0));
                    }
                    if (batch.get(0).equals(second)) {
                        throw new java.io.IOException("Prometheus answered 503 for " + batch.get(0));
                    }
                    return matrix(batch);
                }, registry))
                .isInstanceOf(java.io.IOException.class).hasMessage("Prometheus answered 503 for " + second);
        // The first batch was fitted and swapped in; the failed one and the one after it were not.
        assertThat(fetched).containsExactly(fleet.get(0), second);
        assertThat(registry.all().keySet()).contains(ModelRegistry.workloadKey(fleet.get(0)))
                .doesNotContain(ModelRegistry.workloadKey(second),
                        ModelRegistry.workloadKey(fleet.get(2 * Retrainer.BATCH_WORKLOADS)));
    }
}
