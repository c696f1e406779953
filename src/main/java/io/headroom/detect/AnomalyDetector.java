package io.headroom.detect;

import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;

/**
 * A kind of anomaly model the daemon can train per workload: its Tribuo trainer, and a batch scorer
 * for the models that trainer produces. Lets the isolation forest and the one-class SVM be swapped by
 * configuration while the rest of the pipeline sees one contract.
 */
public interface AnomalyDetector {

    /** @return the trainer that produces this detector's models */
    Trainer<Event> trainer();

    /**
     * Scores rows with a model produced by {@link #trainer()}.
     *
     * @param model     a model from this detector's trainer
     * @param rows      row-major values; column {@code j} is the feature with id {@code j} in
     *                  {@code model.getFeatureIDMap()}
     * @param nRows     number of rows
     * @param nFeatures number of columns, equal to the model's feature count
     * @return one raw score per row, higher meaning more anomalous; scales differ between detectors
     * @throws IllegalArgumentException if the model is not one this detector produces
     */
    double[] rawScores(Model<Event> model, double[] rows, int nRows, int nFeatures);
}
