package io.headroom.detect;

import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnomalyDetectorTest {
    private static final int NF = 3;
    private static final int TRAIN = 500;

    private final MutableDataset<Event> train = TestData.dataset(TestData.gaussian(TRAIN, NF, 1), TRAIN, NF);
    private final double[] clean = TestData.gaussian(200, NF, 2);
    private final double[] outliers = outliers();

    @Test
    void oneClassSvmScoresOutliersAboveCleanRowsAndAgreesWithTribuo() {
        OneClassSvmDetector detector = new OneClassSvmDetector(0.05, 0.5, 1);
        Model<Event> model = detector.trainer().train(train);

        double[] cleanScores = detector.rawScores(model, clean, 200, NF);
        double[] outlierScores = detector.rawScores(model, outliers, 10, NF);

        assertThat(Arrays.stream(outlierScores).min().orElseThrow()).isGreaterThan(0.0);
        assertThat(TestData.upperQuantile(cleanScores, 0.5)).isLessThan(0.0);
        // Raw score is the negated decision value, so its sign is LibSVM's verdict.
        for (int r = 0; r < 200; r++) {
            Event event = model.predict(TestData.example(clean, r * NF, NF, Event.EventType.UNKNOWN)).getOutput();
            assertThat(cleanScores[r]).isEqualTo(-event.getScore());
            assertThat(event.getType() == Event.EventType.ANOMALOUS).isEqualTo(event.getScore() < 0.0);
        }
    }

    @Test
    void isolationForestDetectorScoresThroughTheFlatForest() {
        IsolationForestDetector detector = new IsolationForestDetector(new IsolationForestTrainer(3));
        IsolationForestModel model = detector.trainer().train(train);

        double[] cleanScores = detector.rawScores(model, clean, 200, NF);
        double[] outlierScores = detector.rawScores(model, outliers, 10, NF);

        assertThat(cleanScores).containsExactly(model.forest().scoreBatch(clean, 200, NF));
        assertThat(Arrays.stream(outlierScores).min().orElseThrow()).isGreaterThan(model.threshold());
    }

    @Test
    void detectorsRejectEachOthersModels() {
        IsolationForestDetector forest = new IsolationForestDetector(new IsolationForestTrainer(3));
        OneClassSvmDetector svm = new OneClassSvmDetector(0.05, 0.5, 1);
        Model<Event> svmModel = svm.trainer().train(train);
        Model<Event> forestModel = forest.trainer().train(train);
        assertThatThrownBy(() -> forest.rawScores(svmModel, clean, 200, NF)).hasMessageContaining("IsolationForestModel");
        assertThatThrownBy(() -> svm.rawScores(forestModel, clean, 200, NF)).hasMessageContaining("LibSVMAnomalyModel");
        assertThatThrownBy(() -> new OneClassSvmDetector(0.0, 0.5, 1)).hasMessageContaining("nu");
    }

    /** Rows with every coordinate at 6 sigma. */
    private static double[] outliers() {
        double[] rows = new double[10 * NF];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i % 2 == 0 ? 6.0 : -6.0;
        }
        return rows;
    }
}
