package io.headroom.detect;

import org.tribuo.Model;
import org.tribuo.anomaly.Event;

/**
 * {@link AnomalyDetector} backed by {@link IsolationForestTrainer}; scores through the model's flat
 * {@link IsolationForest}, so raw scores are isolation scores in (0, 1].
 */
public final class IsolationForestDetector implements AnomalyDetector {
    private final IsolationForestTrainer trainer;

    /** @param trainer the configured trainer */
    public IsolationForestDetector(IsolationForestTrainer trainer) {
        this.trainer = trainer;
    }

    @Override
    public IsolationForestTrainer trainer() {
        return trainer;
    }

    @Override
    public double[] rawScores(Model<Event> model, double[] rows, int nRows, int nFeatures) {
        if (!(model instanceof IsolationForestModel forestModel)) {
            throw new IllegalArgumentException("expected an IsolationForestModel, got " + model.getClass().getName());
        }
        return forestModel.forest().scoreBatch(rows, nRows, nFeatures);
    }
}
