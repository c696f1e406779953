package io.headroom.detect;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains {@link IsolationForestModel}s: unsupervised, so the labels of the training events are ignored
 * and the training data is taken to be the workload's normal behaviour.
 *
 * <p>After growing the forest (see {@link IsolationForest} for the algorithm) the trainer scores each
 * training row (at most 100,000, sampled) with only the trees that did not sample it (out-of-bag), and
 * derives from those scores
 * the decision threshold ({@code thresholdQuantile}), the 0-100 {@link Calibration}, and the global
 * feature importance reported by {@link IsolationForestModel#getTopFeatures(int)}.
 *
 * <p>Shaped like Tribuo's {@code KMeansTrainer}: configurable through OLCUT, each {@code train} call
 * splits a fresh generator off the seeded one, so a trainer reproduces its sequence of models and
 * {@link #setInvocationCount(int)} rewinds it.
 */
public final class IsolationForestTrainer implements Trainer<Event> {

    @Config(description = "Number of trees in the forest.")
    private int numTrees = 100;

    @Config(description = "Rows sampled without replacement to grow each tree (psi); capped at the data set size.")
    private int sampleSize = 256;

    @Config(description = "Maximum tree depth; 0 selects ceil(log2(sampleSize)), the average depth of an unbalanced tree.")
    private int maxDepth = 0;

    @Config(description = "Fraction of the features each tree may split on, in (0, 1].")
    private double featureFraction = 1.0;

    @Config(description = "Quantile of the out-of-bag training scores above which a prediction is ANOMALOUS, in (0, 1).")
    private double thresholdQuantile = 0.99;

    @Config(description = "Quantile of the out-of-bag training scores that calibrates to 30, in (0, 1).")
    private double calibrationQuantile = Calibration.DEFAULT_QUANTILE;

    @Config(description = "Where between the largest training score and 1.0 the calibrated score 71 sits, in [0, 1).")
    private double calibrationMargin = Calibration.DEFAULT_MARGIN;

    @Config(description = "Seed for the random number generator.")
    private long seed = Trainer.DEFAULT_SEED;

    /** Global importance averages attributions over at most this many of the most anomalous training rows. */
    private static final int IMPORTANCE_ROWS = 1000;

    private SplittableRandom rng;

    private int trainInvocationCounter;

    /** For OLCUT. */
    private IsolationForestTrainer() {
    }

    /**
     * A trainer with scikit-learn's forest shape (100 trees of 256 rows, automatic depth, all features),
     * the 0.99 training quantile as threshold and the default calibration.
     *
     * @param seed the random seed
     */
    public IsolationForestTrainer(long seed) {
        this(100, 256, 0, 1.0, 0.99, seed);
    }

    /**
     * A trainer with the default calibration.
     *
     * @param numTrees          number of trees, at least 1
     * @param sampleSize        rows per tree, at least 2
     * @param maxDepth          depth limit, 0 for {@code ceil(log2(sampleSize))}
     * @param featureFraction   fraction of features per tree, in (0, 1]
     * @param thresholdQuantile training-score quantile used as the ANOMALOUS threshold, in (0, 1)
     * @param seed              the random seed
     */
    public IsolationForestTrainer(int numTrees, int sampleSize, int maxDepth, double featureFraction,
                                  double thresholdQuantile, long seed) {
        this(numTrees, sampleSize, maxDepth, featureFraction, thresholdQuantile,
                Calibration.DEFAULT_QUANTILE, Calibration.DEFAULT_MARGIN, seed);
    }

    /**
     * A trainer with every hyperparameter given.
     *
     * @param numTrees            number of trees, at least 1
     * @param sampleSize          rows per tree, at least 2
     * @param maxDepth            depth limit, 0 for {@code ceil(log2(sampleSize))}
     * @param featureFraction     fraction of features per tree, in (0, 1]
     * @param thresholdQuantile   training-score quantile used as the ANOMALOUS threshold, in (0, 1)
     * @param calibrationQuantile training-score quantile that calibrates to 30, in (0, 1)
     * @param calibrationMargin   placement of the calibrated 71 above the training maximum, in [0, 1)
     * @param seed                the random seed
     * @throws PropertyException naming the first invalid hyperparameter
     */
    public IsolationForestTrainer(int numTrees, int sampleSize, int maxDepth, double featureFraction,
                                  double thresholdQuantile, double calibrationQuantile, double calibrationMargin,
                                  long seed) {
        this.numTrees = numTrees;
        this.sampleSize = sampleSize;
        this.maxDepth = maxDepth;
        this.featureFraction = featureFraction;
        this.thresholdQuantile = thresholdQuantile;
        this.calibrationQuantile = calibrationQuantile;
        this.calibrationMargin = calibrationMargin;
        this.seed = seed;
        postConfig();
    }

    /**
     * Validates the hyperparameters and resets the random number generator. Used by OLCUT after it
     * sets the fields; constructors call it too.
     *
     * @throws PropertyException naming the field that is out of range
     */
    @Override
    public synchronized void postConfig() {
        if (numTrees < 1) {
            throw invalid("numTrees", "must be at least 1, found " + numTrees);
        }
        if (sampleSize < 2) {
            throw invalid("sampleSize", "must be at least 2 (one row cannot be isolated), found " + sampleSize);
        }
        if (maxDepth < 0) {
            throw invalid("maxDepth", "must be at least 0 (0 = ceil(log2(sampleSize))), found " + maxDepth);
        }
        if (!(featureFraction > 0.0 && featureFraction <= 1.0)) {
            throw invalid("featureFraction", "must be in (0, 1], found " + featureFraction);
        }
        if (!(thresholdQuantile > 0.0 && thresholdQuantile < 1.0)) {
            throw invalid("thresholdQuantile", "must be in (0, 1), found " + thresholdQuantile);
        }
        if (!(calibrationQuantile > 0.0 && calibrationQuantile < 1.0)) {
            throw invalid("calibrationQuantile", "must be in (0, 1), found " + calibrationQuantile);
        }
        if (!(calibrationMargin >= 0.0 && calibrationMargin < 1.0)) {
            throw invalid("calibrationMargin", "must be in [0, 1), found " + calibrationMargin);
        }
        this.rng = new SplittableRandom(seed);
    }

    /**
     * OLCUT's two-argument constructor stores its first argument as the instance name, so name the
     * property explicitly: {@link PropertyException#getProperty()} then reports the field.
     */
    private static PropertyException invalid(String field, String reason) {
        return new PropertyException("", field, field + " " + reason);
    }

    @Override
    public IsolationForestModel train(Dataset<Event> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public IsolationForestModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public IsolationForestModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        TrainerProvenance trainerProvenance;
        SplittableRandom localRng;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            localRng = rng.split();
            trainerProvenance = getProvenance();
            trainInvocationCounter++;
        }
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        int nRows = examples.size();
        int nFeatures = featureMap.size();
        if (nRows == 0 || nFeatures == 0) {
            throw new IllegalArgumentException("cannot train on " + nRows + " examples with " + nFeatures + " features");
        }
        // A dense view's feature ids are its columns, so its rows are read in place instead of copied.
        double[] rows = examples instanceof DenseEvents dense ? dense.rows() : TribuoRows.fromDataset(examples, featureMap);
        ForestBuilder.Result fit = ForestBuilder.build(rows, nRows, nFeatures, settings(), localRng);
        OutOfBag.Scores oob = OutOfBag.score(fit, rows, nRows, nFeatures, localRng);
        double threshold = Quantiles.ofSorted(Quantiles.sortedCopy(oob.scores()), thresholdQuantile);
        Calibration calibration = Calibration.fromTrainingScores(oob.scores(), calibrationQuantile, calibrationMargin);
        double[] importance = importance(fit.forest(), oob.rows(), oob.scores(), threshold);

        ModelProvenance provenance = new ModelProvenance(IsolationForestModel.class.getName(), OffsetDateTime.now(),
                examples.getProvenance(), trainerProvenance, runProvenance);
        return new IsolationForestModel("isolation-forest", provenance, featureMap, examples.getOutputIDInfo(),
                fit.forest(), threshold, calibration, importance);
    }

    /** @return the forest hyperparameters this trainer passes to {@link IsolationForest} */
    public IsolationForest.Settings settings() {
        return new IsolationForest.Settings(numTrees, sampleSize, maxDepth, featureFraction);
    }

    /**
     * Mean attribution over the training rows the model would call anomalous (at most
     * {@value #IMPORTANCE_ROWS} of the highest-scoring; at least the single highest). Averaging over
     * ordinary rows would only echo how often each feature was drawn for a split.
     */
    private static double[] importance(IsolationForest forest, double[] rows, double[] oob, double threshold) {
        int nf = forest.numFeatures();
        int best = 0;
        int above = 0;
        for (int r = 0; r < oob.length; r++) {
            if (oob[r] > oob[best]) {
                best = r;
            }
            if (oob[r] > threshold) {
                above++;
            }
        }
        // Only the rows above the threshold are ranked (about 1% of the data), so this stays cheap
        // for a million-row training set.
        Integer[] picked;
        if (above == 0) {
            picked = new Integer[] {best};
        } else {
            picked = new Integer[above];
            for (int r = 0, k = 0; r < oob.length; r++) {
                if (oob[r] > threshold) {
                    picked[k++] = r;
                }
            }
            Arrays.sort(picked, (a, b) -> Double.compare(oob[b], oob[a]));
        }
        int used = Math.min(picked.length, IMPORTANCE_ROWS);
        double[] sum = new double[nf];
        double[] one = new double[nf];
        for (int k = 0; k < used; k++) {
            forest.attribution(rows, picked[k] * nf, one);
            for (int f = 0; f < nf; f++) {
                sum[f] += one[f];
            }
        }
        for (int f = 0; f < nf; f++) {
            sum[f] /= used;
        }
        return sum;
    }

    @Override
    public int getInvocationCount() {
        return trainInvocationCounter;
    }

    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("The supplied invocationCount is less than zero.");
        }
        rng = new SplittableRandom(seed);
        for (trainInvocationCounter = 0; trainInvocationCounter < invocationCount; trainInvocationCounter++) {
            rng.split();
        }
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "IsolationForestTrainer(numTrees=" + numTrees + ",sampleSize=" + sampleSize + ",maxDepth=" + maxDepth
                + ",featureFraction=" + featureFraction + ",thresholdQuantile=" + thresholdQuantile
                + ",calibrationQuantile=" + calibrationQuantile + ",calibrationMargin=" + calibrationMargin
                + ",seed=" + seed + ")";
    }
}
