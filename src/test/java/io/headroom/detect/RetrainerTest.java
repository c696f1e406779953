package io.headroom.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.DetectionConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A training fed batch by batch trains exactly the models of one training over the whole matrix. */
class RetrainerTest {

    private static final List<String> WORKLOADS = List.of("a-1", "a-2", "b-1", "b-2", "b-3");
    private static final Map<String, String> GROUPS = Map.of("a-1", "a", "a-2", "a", "b-1", "b", "b-2", "b", "b-3", "b");
    private static final int ROWS = 1500;
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final StepGrid GRID = new StepGrid(START, START.plusSeconds((ROWS - 1) * WorkloadModelTest.STEP),
            Duration.ofSeconds(WorkloadModelTest.STEP));
    private static final Instant NOW = GRID.end().plusSeconds(60);

    private static FeatureMatrix matrix(List<String> workloads) {
        int nf = WorkloadModelTest.FEATURES.size();
        double[] v = new double[workloads.size() * ROWS * nf];
        for (int w = 0; w < workloads.size(); w++) {
            int seed = WORKLOADS.indexOf(workloads.get(w));
            System.arraycopy(WorkloadModelTest.series(ROWS, 10 + seed, 97 * seed), 0, v, w * ROWS * nf, ROWS * nf);
        }
        return new FeatureMatrix(workloads, WorkloadModelTest.FEATURES, GRID, v);
    }

    /** b-3 failed for most of the window: too few clean rows for its own model. */
    private static final Map<String, List<Interval>> EXCLUDED = Map.of(
            "a-2", List.of(new Interval(START.plusSeconds(3600), START.plusSeconds(7200))),
            "b-3", List.of(new Interval(START, GRID.end())));

    @Test
    void batchesTrainTheModelsOfOneMatrix() throws Exception {
        DetectionConfig cfg = WorkloadModelTest.config("");
        Retrainer.Result whole = new Retrainer(cfg).train(matrix(WORKLOADS), EXCLUDED, GROUPS, NOW);
        Retrainer.Session s = new Retrainer(cfg).session(WorkloadModelTest.FEATURES, GRID, GROUPS, NOW);
        s.add(matrix(List.of("a-1", "a-2")), EXCLUDED);
        s.add(matrix(List.of("b-1", "b-2")), EXCLUDED);
        s.add(matrix(List.of("b-3")), EXCLUDED);
        Retrainer.Result batched = s.finish();

        assertThat(whole.models().keySet()).containsExactly("global", "group:a", "group:b",
                "workload:a-1", "workload:a-2", "workload:b-1", "workload:b-2");
        assertThat(batched.models().keySet()).isEqualTo(whole.models().keySet());
        assertThat(batched.skipped()).isEqualTo(whole.skipped()).containsOnlyKeys("workload:b-3");
        double[] probe = WorkloadModelTest.series(400, 99, 123);
        for (String key : whole.models().keySet()) {
            WorkloadModel a = whole.models().get(key);
            WorkloadModel b = batched.models().get(key);
            assertThat(b.trainingRows()).as(key).isEqualTo(a.trainingRows());
            assertThat(b.score(probe, 400, 100).score()).as(key).containsExactly(a.score(probe, 400, 100).score());
        }
        // The group and global models learn every clean row of their workloads (b-3 has none).
        int own = 0;
        for (String w : List.of("a-1", "a-2", "b-1", "b-2")) {
            own += whole.models().get("workload:" + w).trainingRows();
        }
        assertThat(batched.models().get("global").trainingRows()).isEqualTo(own).isLessThan(4 * ROWS);
    }

    @Test
    void ownModelsFittedInParallelAreTheModelsOfOneThread() throws Exception {
        DetectionConfig cfg = WorkloadModelTest.config("");
        Retrainer.Result one = new Retrainer(cfg, 1).train(matrix(WORKLOADS), EXCLUDED, GROUPS, NOW);
        // Three threads over five workloads: a full round and a partial one, with b-3 skipped in the second.
        Retrainer.Result three = new Retrainer(cfg, 3).train(matrix(WORKLOADS), EXCLUDED, GROUPS, NOW);
        assertThat(three.models().keySet()).isEqualTo(one.models().keySet());
        assertThat(three.skipped()).isEqualTo(one.skipped()).containsOnlyKeys("workload:b-3");
        double[] probe = WorkloadModelTest.series(400, 99, 123);
        for (String key : one.models().keySet()) {
            assertThat(three.models().get(key).trainingRows()).as(key).isEqualTo(one.models().get(key).trainingRows());
            assertThat(three.models().get(key).score(probe, 400, 100).score()).as(key)
                    .containsExactly(one.models().get(key).score(probe, 400, 100).score());
        }
        assertThatThrownBy(() -> new Retrainer(cfg, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ownModelsBeyondTheMemoryBudgetAreLeftToTheGroupAndGlobalModels() throws Exception {
        DetectionConfig cfg = WorkloadModelTest.config("");
        Retrainer.Result free = new Retrainer(cfg, 1).train(matrix(WORKLOADS), EXCLUDED, GROUPS, NOW);
        long a1 = free.models().get("workload:a-1").retainedBytes();
        long a2 = free.models().get("workload:a-2").retainedBytes();
        assertThat(a1).isGreaterThan(100_000);
        // Room for a-1 and a-2, not for b-1 (estimated as large as the largest fitted so far).
        long budget = a1 + a2 + Math.max(a1, a2) - 1;
        Retrainer.Result first = trainAll(new Retrainer(cfg, 1).session(WorkloadModelTest.FEATURES, GRID, GROUPS, NOW)
                .limitModelMemory(budget, Map.of()));
        assertThat(first.models().keySet()).containsExactly("global", "group:a", "group:b", "workload:a-1",
                "workload:a-2");
        assertThat(first.overBudget()).isEqualTo(3);
        assertThat(first.skipped()).containsOnlyKeys("workload:b-1", "workload:b-2", "workload:b-3");
        assertThat(first.skipped().get("workload:b-1")).contains("no room for its own model")
                .contains("global model scores it");
        // The group and global models still learn every workload's rows.
        assertThat(first.models().get("global").trainingRows()).isEqualTo(free.models().get("global").trainingRows());

        // The next training replaces the models it holds (the group and global models already take the held
        // total past the budget), and still leaves the others out: the split is stable.
        Instant later = NOW.plusSeconds(3600);
        assertThat(first.models().values().stream().mapToLong(WorkloadModel::retainedBytes).sum()).isGreaterThan(budget);
        Retrainer.Result second = trainAll(new Retrainer(cfg, 1).session(WorkloadModelTest.FEATURES, GRID, GROUPS, later)
                .limitModelMemory(budget, first.models()));
        assertThat(second.models()).containsKeys("workload:a-1", "workload:a-2").doesNotContainKey("workload:b-1");
        assertThat(second.models().get("workload:a-1").trainedAt()).isEqualTo(later);
        assertThat(second.overBudget()).isEqualTo(3);

        // No room at all: every workload is scored by its group's or the global model.
        Retrainer.Result none = trainAll(new Retrainer(cfg, 3).session(WorkloadModelTest.FEATURES, GRID, GROUPS, NOW)
                .limitModelMemory(0, Map.of()));
        assertThat(none.models().keySet()).containsExactly("global", "group:a", "group:b");
        assertThat(none.overBudget()).isEqualTo(5);
    }

    private static Retrainer.Result trainAll(Retrainer.Session s) {
        s.add(matrix(WORKLOADS), EXCLUDED);
        return s.finish();
    }

    @Test
    void aBatchOnAnotherGridIsRefused() throws Exception {
        Retrainer.Session s = new Retrainer(WorkloadModelTest.config(""))
                .session(WorkloadModelTest.FEATURES, new StepGrid(START, GRID.end(), Duration.ofSeconds(30)), GROUPS, NOW);
        assertThatThrownBy(() -> s.add(matrix(List.of("a-1")), Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupSamplesShareOneBoundWhateverTheNumberOfGroups() {
        assertThat(Retrainer.groupSampleRows(0)).isEqualTo(Retrainer.SHARED_ROWS);
        assertThat(Retrainer.groupSampleRows(1)).isEqualTo(Retrainer.SHARED_ROWS);
        assertThat(Retrainer.groupSampleRows(8)).isEqualTo(Retrainer.SHARED_ROWS / 8);
        assertThat(Retrainer.groupSampleRows(Retrainer.SHARED_ROWS * 2)).isEqualTo(1);
    }

    @Test
    void theGlobalModelLearnsFromASampleOfTheSharedBound() throws Exception {
        // More clean rows than the bound, though fewer than any one model's: the global model keeps a sample.
        int workloads = Retrainer.SHARED_ROWS / ROWS + 2;
        assertThat(workloads * ROWS).isGreaterThan(Retrainer.SHARED_ROWS).isLessThan(ModelTrainer.MAX_ROWS);
        int nf = WorkloadModelTest.FEATURES.size();
        List<String> names = new java.util.ArrayList<>();
        double[] v = new double[workloads * ROWS * nf];
        for (int w = 0; w < workloads; w++) {
            names.add(String.format(java.util.Locale.ROOT, "w-%03d", w));
            System.arraycopy(WorkloadModelTest.series(ROWS, 10 + w % 5, 97 * w), 0, v, w * ROWS * nf, ROWS * nf);
        }
        Retrainer.Result r = new Retrainer(WorkloadModelTest.config(", scope: global"))
                .train(new FeatureMatrix(names, WorkloadModelTest.FEATURES, GRID, v), Map.of(), Map.of(), NOW);

        assertThat(r.models()).containsOnlyKeys("global");
        assertThat(r.models().get("global").trainingRows()).isEqualTo(Retrainer.SHARED_ROWS);
    }

    @Test
    void manyGroupsEachLearnFromTheirShareOfRows() throws Exception {
        // As many groups as the shared bound allows about ROWS / 2 rows each: a-1's group keeps a sample of its
        // rows, its share, not all of them.
        int groups = 2 * Retrainer.GROUP_ROWS / ROWS;
        assertThat(Retrainer.groupSampleRows(groups)).isLessThan(ROWS);
        Map<String, String> manyGroups = new HashMap<>();
        for (int g = 0; g < groups - 1; g++) {
            manyGroups.put("elsewhere-" + g, "g" + g);
        }
        manyGroups.put("a-1", "a");
        DetectionConfig cfg = WorkloadModelTest.config(", scope: group, group_label: tenant");
        Retrainer.Result r = new Retrainer(cfg).train(matrix(List.of("a-1")), Map.of(), manyGroups, NOW);

        assertThat(r.models()).containsOnlyKeys("group:a");
        assertThat(r.models().get("group:a").trainingRows()).isEqualTo(Retrainer.groupSampleRows(groups));
    }
}
