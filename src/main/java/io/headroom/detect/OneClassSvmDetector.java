package io.headroom.detect;

import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyModel;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyTrainer;
import org.tribuo.anomaly.libsvm.SVMAnomalyType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.impl.ArrayExample;

/**
 * {@link AnomalyDetector} backed by Tribuo's one-class SVM ({@link LibSVMAnomalyTrainer}, RBF kernel):
 * a second opinion for workloads whose normal region is a smooth blob rather than axis-aligned.
 *
 * <p>The raw score is the negated SVM decision value, so it is positive exactly when LibSVM calls the
 * row an outlier and grows with the distance outside the learned boundary. LibSVM does not scale
 * features; give it features of comparable range (the collector's scaled metrics).
 */
public final class OneClassSvmDetector implements AnomalyDetector {
    private final LibSVMAnomalyTrainer trainer;

    /**
     * @param nu    upper bound on the fraction of training rows treated as outliers, in (0, 1]
     * @param gamma RBF kernel width, positive
     * @param seed  seed for LibSVM's shuffling
     */
    public OneClassSvmDetector(double nu, double gamma, long seed) {
        if (!(nu > 0.0 && nu <= 1.0)) {
            throw new IllegalArgumentException("nu must be in (0, 1], got " + nu);
        }
        if (!(gamma > 0.0)) {
            throw new IllegalArgumentException("gamma must be positive, got " + gamma);
        }
        SVMParameters<Event> params = new SVMParameters<>(new SVMAnomalyType(SVMAnomalyType.SVMMode.ONE_CLASS), KernelType.RBF);
        params.setNu(nu);
        params.setGamma(gamma);
        this.trainer = new LibSVMAnomalyTrainer(params, seed);
    }

    @Override
    public LibSVMAnomalyTrainer trainer() {
        return trainer;
    }

    @Override
    public double[] rawScores(Model<Event> model, double[] rows, int nRows, int nFeatures) {
        return scores(model, rows, nRows, nFeatures);
    }

    /** {@link #rawScores} for any one-class SVM model, whatever its hyperparameters. */
    static double[] scores(Model<Event> model, double[] rows, int nRows, int nFeatures) {
        if (!(model instanceof LibSVMAnomalyModel)) {
            throw new IllegalArgumentException("expected a LibSVMAnomalyModel, got " + model.getClass().getName());
        }
        ImmutableFeatureMap featureMap = model.getFeatureIDMap();
        if (nFeatures != featureMap.size()) {
            throw new IllegalArgumentException("model has " + featureMap.size() + " features, rows have " + nFeatures);
        }
        String[] names = new String[nFeatures];
        for (int id = 0; id < nFeatures; id++) {
            names[id] = featureMap.get(id).getName();
        }
        // Going through Tribuo's predict keeps the feature-to-node mapping in Tribuo's hands; the SVM is
        // the secondary model, so its per-row allocation is acceptable.
        double[] scores = new double[nRows];
        double[] values = new double[nFeatures];
        for (int r = 0; r < nRows; r++) {
            System.arraycopy(rows, r * nFeatures, values, 0, nFeatures);
            ArrayExample<Event> example = new ArrayExample<>(new Event(Event.EventType.UNKNOWN), names, values);
            scores[r] = -model.predict(example).getOutput().getScore();
        }
        return scores;
    }
}
