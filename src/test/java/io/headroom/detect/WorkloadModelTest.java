package io.headroom.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.config.ConfigLoader;
import io.headroom.config.DetectionConfig;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The whole scoring pipeline (engineering, imputation, model, calibration) on seeded seasonal series. */
class WorkloadModelTest {

    static final List<String> FEATURES = List.of("cpu", "memory", "net");
    static final long STEP = 60;

    static DetectionConfig config(String extra) throws Exception {
        return ConfigLoader.parse("detection: {min_training_rows: 500" + extra + "}", null).detection();
    }

    /** Daily-seasonal cpu, slowly varying memory, noisy network; one row a minute. */
    static double[] series(int n, long seed, int offset) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * 3];
        for (int i = 0; i < n; i++) {
            double day = Math.sin(2 * Math.PI * (i + offset) / 1440.0);
            x[i * 3] = 0.4 + 0.2 * day + 0.02 * rng.nextGaussian();
            x[i * 3 + 1] = 0.6 + 0.05 * Math.sin(2 * Math.PI * (i + offset) / 300.0) + 0.005 * rng.nextGaussian();
            x[i * 3 + 2] = 1e6 * (1 + 0.1 * rng.nextGaussian());
        }
        return x;
    }

    static boolean[] all(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }

    static WorkloadModel trained(String extra) throws Exception {
        int n = 3 * 1440;
        return new ModelTrainer(config(extra)).train("workload:web-1", FEATURES,
                List.of(new ModelTrainer.History(series(n, 1, 0), n, all(n))), STEP, false, Instant.EPOCH);
    }

    @Test
    void cleanHeldOutDataScoresAtMost30AtP99() throws Exception {
        WorkloadModel m = trained("");
        int n = 2 * 1440;
        double[] held = series(n, 99, 3 * 1440);
        WorkloadModel.Scored s = m.score(held, n, 60);
        double[] sorted = s.score().clone();
        Arrays.sort(sorted);
        assertThat(sorted[(int) Math.ceil(0.99 * sorted.length) - 1]).isLessThanOrEqualTo(30);
        assertThat(m.trainingRows()).isEqualTo(3 * 1440);
        assertThat(m.type()).isEqualTo("isolation-forest");
    }

    @Test
    void aCpuSurgeScoresHighAndIsAttributedToCpuAbove() throws Exception {
        WorkloadModel m = trained("");
        int n = 700;
        double[] x = series(n, 5, 3 * 1440);
        for (int i = 560; i < n; i++) {
            x[i * 3] = 0.98;
        }
        WorkloadModel.Scored s = m.score(x, n, 500);
        // Before the surge: normal. From its second minute to most of an hour: high, while the trailing window
        // still remembers normal. Throughout, for over two hours: at least medium, since 0.98 lies far beyond the
        // training range (about 0.15 to 0.65). Always blamed on cpu, above.
        for (int r = 0; r < 60; r++) {
            assertThat(s.score()[r]).as("row %d before the surge", r).isLessThanOrEqualTo(30);
        }
        for (int r = 60; r < 200; r++) {
            assertThat(s.score()[r]).as("row %d", r).isGreaterThan(r > 60 && r < 110 ? 70 : 30);
            double[] attr = Arrays.copyOfRange(s.attribution(), r * 3, r * 3 + 3);
            assertThat(attr[0]).as("cpu share at row %d", r).isGreaterThan(attr[1]).isGreaterThan(attr[2]);
            assertThat(Arrays.stream(attr).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(s.direction()[r * 3]).isEqualTo(1.0);
        }
    }

    @Test
    void afterASurgeEndsTheTrailingMemoryMayKeepTheScoreUpButCpuNoLongerReadsAsAbove() throws Exception {
        WorkloadModel m = trained("");
        int n = 800;
        double[] x = series(n, 5, 3 * 1440);
        for (int i = 560; i < 620; i++) {
            x[i * 3] = 0.98;
        }
        WorkloadModel.Scored s = m.score(x, n, 500);
        int elevated = 0;
        for (int r = 121; r < 300; r++) {
            double cpu = x[(500 + r) * 3];
            // Back inside the training range (about 0.15 to 0.65): neither side, whatever the trailing window says.
            assertThat(s.direction()[r * 3]).as("cpu side at row %d (cpu %.3f)", r, cpu).isEqualTo(0.0);
            elevated += s.score()[r] > 30 ? 1 : 0;
        }
        assertThat(elevated).as("rows after the surge still scored above 30 (the case this guards)").isPositive();
        for (int r = 61; r < 120; r++) {
            assertThat(s.direction()[r * 3]).as("cpu side during the surge, row %d", r).isEqualTo(1.0);
        }
    }

    @Test
    void rowsWithoutAnyDataHaveNoScore() throws Exception {
        WorkloadModel m = trained("");
        int n = 100;
        double[] x = series(n, 5, 0);
        Arrays.fill(x, 99 * 3, 100 * 3, Double.NaN);
        WorkloadModel.Scored s = m.score(x, n, 90);
        assertThat(s.score()[9]).isNaN();
        assertThat(s.score()[8]).isBetween(0.0, 100.0);
    }

    @Test
    void failureRowsAreNotLearned() throws Exception {
        int n = 3 * 1440;
        boolean[] trainable = all(n);
        Arrays.fill(trainable, 0, 1000, false);
        WorkloadModel m = new ModelTrainer(config("")).train("workload:x", FEATURES,
                List.of(new ModelTrainer.History(series(n, 1, 0), n, trainable)), STEP, false, Instant.EPOCH);
        assertThat(m.trainingRows()).isEqualTo(n - 1000);
    }

    @Test
    void tooLittleHistoryIsRefused() {
        int n = 100;
        assertThatThrownBy(() -> new ModelTrainer(config("")).train("workload:new", FEATURES,
                List.of(new ModelTrainer.History(series(n, 1, 0), n, all(n))), STEP, false, Instant.EPOCH))
                .isInstanceOf(ModelTrainer.InsufficientDataException.class)
                .hasMessage("workload:new: 100 clean training rows, 500 needed");
    }

    @Test
    void serializedModelScoresIdentically() throws Exception {
        WorkloadModel m = trained("");
        WorkloadModel back = TestData.deserialize(TestData.serialize(m), WorkloadModel.class);
        double[] x = series(300, 8, 100);
        assertThat(back.score(x, 300, 200).raw()).containsExactly(m.score(x, 300, 200).raw());
    }

    @Test
    void oneClassSvmBehindTheSameInterface() throws Exception {
        int n = 1000;
        WorkloadModel m = new ModelTrainer(config(", model: one-class-svm, engineering: {transforms: [level]}"))
                .train("global", FEATURES, List.of(new ModelTrainer.History(series(n, 1, 0), n, all(n))), STEP, false,
                        Instant.EPOCH);
        assertThat(m.type()).isEqualTo("one-class-svm");
        double[] x = series(50, 3, 0);
        x[49 * 3] = 5.0;
        WorkloadModel.Scored s = m.score(x, 50, 0);
        assertThat(s.score()[49]).isGreaterThan(s.score()[10]);
    }

    /**
     * An own model's sample takes the trainable rows' array instead of a copy: the model is the one a copied sample
     * gives, and the rows, missing values included, are left as they were for the group and global samples.
     */
    @Test
    void anAdoptedHistoryTrainsTheSameModelAndLeavesItsRowsAlone() throws Exception {
        ModelTrainer trainer = new ModelTrainer(config(", forest: {trees: 10}"));
        ModelTrainer.Engineering e = trainer.engineering(FEATURES, STEP, false);
        int n = 2 * 1440;
        double[] raw = series(n, 3, 0);
        for (int r = 100; r < n; r += 97) {
            raw[r * 3 + 1] = Double.NaN;
        }
        boolean[] ok = all(n);
        Arrays.fill(ok, 900, 960, false);
        ModelTrainer.Trainable t = trainer.trainable(e, new ModelTrainer.History(raw, n, ok));
        double[] before = t.rows().clone();
        assertThat(Arrays.stream(before).anyMatch(Double::isNaN)).as("missing values among the rows").isTrue();

        ModelTrainer.Sample adopted = trainer.sample(e, "workload:web-1");
        adopted.adopt(t);
        WorkloadModel fromAdopted = trainer.fit("workload:web-1", adopted, Instant.EPOCH);
        assertThat(t.rows()).containsExactly(before);

        ModelTrainer.Sample copied = trainer.sample(e, "workload:web-1");
        copied.add(t);
        WorkloadModel fromCopy = trainer.fit("workload:web-1", copied, Instant.EPOCH);

        double[] held = series(600, 9, n);
        assertThat(fromAdopted.trainingRows()).isEqualTo(fromCopy.trainingRows()).isEqualTo(t.n());
        assertThat(fromAdopted.score(held, 600, 100).score()).containsExactly(fromCopy.score(held, 600, 100).score());
    }
}
