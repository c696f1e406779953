package io.headroom.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How workloads are scored: the model, its hyperparameters, feature engineering, and the model lifecycle.
 *
 * @param model             which detector to train
 * @param scope             which history a workload's model is trained on (see {@link Scope})
 * @param groupLabel        label on the discovery selector's series that names a workload's group ({@link Scope#GROUP}
 *                          and the group fallback of {@link Scope#AUTO}); empty = no groups
 * @param trainingWindow    trailing history a model is trained on, at {@code collection.step} resolution (the
 *                          engineering windows are counted in steps, so training and scoring share one step)
 * @param minTrainingRows   fewest clean rows for a model of its own (auto scope) or any model at all
 * @param retrainEvery      time between two trainings of the same model
 * @param maxModelAge       a model older than this is reported stale (it keeps scoring until replaced)
 * @param failureQuery      PromQL, aggregated by the workload label, that is above 0 while the workload is failing;
 *                          those intervals (plus {@code failureMargin}) are left out of training. Empty = none
 * @param failureMargin     time excluded before and after each failure interval
 * @param historyCache      keep each workload's training history in {@code state_dir/history}, so a retraining
 *                          fetches only the rows that are new since the last one
 * @param forest            isolation-forest hyperparameters
 * @param svm               one-class SVM hyperparameters
 * @param calibration       how raw scores map to 0-100
 * @param engineering       causal feature engineering
 */
public record DetectionConfig(
        Model model,
        Scope scope,
        String groupLabel,
        Duration trainingWindow,
        int minTrainingRows,
        Duration retrainEvery,
        Duration maxModelAge,
        String failureQuery,
        Duration failureMargin,
        boolean historyCache,
        Forest forest,
        Svm svm,
        Calibration calibration,
        Engineering engineering) {

    /** Detector type. */
    public enum Model { ISOLATION_FOREST, ONE_CLASS_SVM }

    /**
     * Whose history trains a workload's model. {@code AUTO}: the workload's own when it has at least
     * {@code minTrainingRows} clean rows, else its group's, else the global model, so a new workload is scored on
     * its first cycle.
     */
    public enum Scope { AUTO, WORKLOAD, GROUP, GLOBAL }

    /**
     * @param trees           number of trees
     * @param sampleSize      rows sampled per tree (psi)
     * @param maxDepth        depth limit; 0 = ceil(log2(sampleSize))
     * @param featureFraction fraction of features each tree may split on
     * @param seed            random seed (training is reproducible)
     */
    public record Forest(int trees, int sampleSize, int maxDepth, double featureFraction, long seed) {}

    /**
     * @param nu    upper bound on the fraction of training rows treated as outliers
     * @param gamma RBF kernel width; 0 = 1 / number of features
     */
    public record Svm(double nu, double gamma) {}

    /**
     * @param quantile training-score quantile that maps to 30 (the top of "no change")
     * @param margin   where, between the largest training score and 1.0, the score 71 (the high tier's default floor)
     *                 sits
     */
    public record Calibration(double quantile, double margin) {}

    /**
     * @param transforms  transforms applied to every feature (level, deviation, variability, rate, seasonal)
     * @param window      trailing window of deviation and variability
     * @param perFeature  transforms for named features, replacing {@code transforms} for them
     */
    public record Engineering(List<String> transforms, Duration window, Map<String, List<String>> perFeature) {
        public Engineering {
            transforms = List.copyOf(transforms);
            perFeature = Map.copyOf(perFeature);
        }
    }
}
