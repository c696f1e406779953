package io.headroom.detect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CalibrationTest {
    private static final int NF = 6;

    @ParameterizedTest(name = "{0} training rows")
    @ValueSource(ints = {300, 1_440, 10_000})
    void cleanHeldOutDataOfTheSameWorkloadStaysAtOrBelow30(int trainRows) {
        // 1,440 rows is one day of one-minute samples; 300 is the thin-history case where in-bag
        // training scores would be biased low.
        IsolationForestModel model = new IsolationForestTrainer(trainRows).train(
                TestData.dataset(TestData.gaussian(trainRows, NF, 100 + trainRows), trainRows, NF));
        int heldOut = 20_000;
        double[] raw = model.forest().scoreBatch(TestData.gaussian(heldOut, NF, 200 + trainRows), heldOut, NF);
        double[] calibrated = new double[heldOut];
        model.calibration().apply(raw, heldOut, calibrated);

        assertThat(TestData.upperQuantile(calibrated, 0.99)).isLessThanOrEqualTo(Calibration.NORMAL_CEILING);
        // Not vacuous: ordinary rows spread over the lower band rather than collapsing to 0.
        assertThat(TestData.upperQuantile(calibrated, 0.5)).isBetween(5.0, 25.0);
    }

    @Test
    void farOutliersCalibrateAboveTheNormalBand() {
        int trainRows = 2_000;
        IsolationForestModel model = new IsolationForestTrainer(5).train(
                TestData.dataset(TestData.gaussian(trainRows, NF, 1), trainRows, NF));
        double[] outliers = new double[10 * NF];
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < NF; j++) {
                // Every coordinate beyond the training range: isolated within a split or two per tree.
                outliers[i * NF + j] = (i + j) % 2 == 0 ? 5.0 : -5.0;
            }
        }
        double[] raw = model.forest().scoreBatch(outliers, 10, NF);
        for (double r : raw) {
            assertThat(model.calibration().apply(r)).isGreaterThan(70.0);
        }
    }

    @Test
    void mapIsMonotoneAndHitsItsKnots() {
        double[] training = new double[1_000];
        double[] scores = TestData.gaussian(1_000, 1, 3);
        for (int i = 0; i < training.length; i++) {
            training[i] = 0.45 + 0.03 * scores[i];
        }
        Calibration calibration = Calibration.fromTrainingScores(training, 0.995, 0.25);
        double[] knots = calibration.rawKnots();
        double[] sorted = training.clone();
        Arrays.sort(sorted);
        assertThat(knots[0]).isEqualTo(sorted[0]);
        assertThat(knots[2]).isEqualTo(sorted[999] + 0.25 * (1.0 - sorted[999]));
        assertThat(knots[3]).isEqualTo(1.0);
        assertThat(calibration.apply(knots[0])).isEqualTo(0.0);
        assertThat(calibration.apply(knots[1])).isEqualTo(30.0);
        assertThat(calibration.apply(knots[2])).isEqualTo(71.0);
        assertThat(calibration.apply(1.0)).isEqualTo(100.0);
        assertMonotone(calibration);
    }

    @Test
    void constantTrainingScoresStillGiveAMonotoneFunction() {
        double[] training = new double[50];
        Arrays.fill(training, 0.5);
        Calibration calibration = Calibration.fromTrainingScores(training, 0.995, 0.25);
        double[] knots = calibration.rawKnots();
        for (int i = 1; i < knots.length; i++) {
            assertThat(knots[i]).isGreaterThan(knots[i - 1]);
        }
        assertThat(calibration.apply(0.5)).isEqualTo(0.0);
        assertThat(calibration.apply(0.9)).isBetween(71.0, 100.0);
        assertMonotone(calibration);
    }

    @Test
    void rejectsBadParameters() {
        double[] training = {0.4, 0.5};
        assertThatThrownBy(() -> Calibration.fromTrainingScores(training, 1.0, 0.25)).hasMessageContaining("quantile");
        assertThatThrownBy(() -> Calibration.fromTrainingScores(training, 0.99, -0.1)).hasMessageContaining("margin");
        assertThatThrownBy(() -> Calibration.fromTrainingScores(new double[0], 0.99, 0.25)).hasMessageContaining("no values");
        assertThatThrownBy(() -> Calibration.fromTrainingScores(new double[] {Double.NaN}, 0.99, 0.25)).hasMessageContaining("NaN");
    }

    private static void assertMonotone(Calibration calibration) {
        double previous = calibration.apply(-1.0);
        assertThat(previous).isEqualTo(0.0);
        for (int i = 0; i <= 200_000; i++) {
            double raw = i / 200_000.0;
            double value = calibration.apply(raw);
            assertThat(value).as("raw %s", raw).isGreaterThanOrEqualTo(previous).isBetween(0.0, 100.0);
            previous = value;
        }
        assertThat(calibration.apply(2.0)).isEqualTo(100.0);
    }
}
