package io.headroom.detect;

import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained isolation forest behind Tribuo's {@link Model} API; produced by {@link IsolationForestTrainer}.
 *
 * <p>{@link #predict(Example)} returns an {@link Event} whose score is the raw isolation score in
 * (0, 1] (as scikit-learn's {@code -score_samples}) and whose type is {@code ANOMALOUS} when that score
 * is above {@link #threshold()}, else {@code EXPECTED}. {@link #calibration()} turns raw scores into
 * the 0-100 scale; {@link #getExcuse(Example)} explains a prediction with per-feature attribution.
 *
 * <p>This API allocates per example; batch work should go through {@link #forest()}, whose columns
 * are the feature ids of {@link #getFeatureIDMap()}.
 *
 * <p>Serializable with Java serialization like other Tribuo models; protobuf serialization is not
 * implemented ({@link #serialize()} throws, as Tribuo's default does).
 */
public final class IsolationForestModel extends Model<Event> {
    private static final long serialVersionUID = 1L;

    /** The scoring core; its columns are this model's feature ids. */
    private final IsolationForest forest;
    /** Raw score above which a prediction is ANOMALOUS. */
    private final double threshold;
    /** Raw-to-0..100 map fitted on the out-of-bag training scores. */
    private final Calibration calibration;
    /** Global importance per feature id, see {@link #getTopFeatures(int)}. */
    private final double[] importance;

    IsolationForestModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                         ImmutableOutputInfo<Event> outputIDInfo, IsolationForest forest, double threshold,
                         Calibration calibration, double[] importance) {
        super(name, provenance, featureIDMap, outputIDInfo, false);
        this.forest = forest;
        this.threshold = threshold;
        this.calibration = calibration;
        this.importance = importance;
    }

    @Override
    public Prediction<Event> predict(Example<Event> example) {
        double[] row = new double[forest.numFeatures()];
        int known = TribuoRows.fill(example, featureIDMap, row, 0);
        if (known == 0) {
            throw new IllegalArgumentException("No features found in Example " + example);
        }
        double score = forest.score(row);
        Event.EventType type = score > threshold ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED;
        return new Prediction<>(new Event(type, score), known, example);
    }

    /**
     * Global importance: the mean {@linkplain IsolationForest#attribution(double[]) attribution} over
     * the training rows scored above the threshold, i.e. which features make this workload's unusual
     * rows unusual.
     *
     * @param n how many features to return, or a negative number for all
     * @return a single list under {@link Model#ALL_OUTPUTS}, largest first
     */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Map.of(ALL_OUTPUTS, ranked(importance, n));
    }

    /**
     * Explains a prediction: each feature's share of the isolation of this example, largest first,
     * under {@link Model#ALL_OUTPUTS}.
     */
    @Override
    public Optional<Excuse<Event>> getExcuse(Example<Event> example) {
        Prediction<Event> prediction = predict(example);
        double[] row = new double[forest.numFeatures()];
        TribuoRows.fill(example, featureIDMap, row, 0);
        return Optional.of(new Excuse<>(example, prediction, Map.of(ALL_OUTPUTS, ranked(forest.attribution(row), -1))));
    }

    private List<Pair<String, Double>> ranked(double[] values, int n) {
        List<Pair<String, Double>> list = new ArrayList<>(values.length);
        for (int id = 0; id < values.length; id++) {
            list.add(new Pair<>(featureIDMap.get(id).getName(), values[id]));
        }
        list.sort(Comparator.comparing((Pair<String, Double> p) -> p.getB()).reversed());
        return n < 0 || n >= list.size() ? list : new ArrayList<>(list.subList(0, n));
    }

    @Override
    protected IsolationForestModel copy(String newName, ModelProvenance newProvenance) {
        return new IsolationForestModel(newName, newProvenance, featureIDMap, outputIDInfo, forest, threshold,
                calibration, importance.clone());
    }

    /** @return the immutable scoring core; columns are this model's feature ids */
    public IsolationForest forest() {
        return forest;
    }

    /** @return the raw score above which predictions are {@code ANOMALOUS} */
    public double threshold() {
        return threshold;
    }

    /** @return the map from raw scores to 0-100 fitted on this model's training scores */
    public Calibration calibration() {
        return calibration;
    }
}
