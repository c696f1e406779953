package io.headroom.detect;

import io.headroom.config.DetectionConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

/**
 * Trains {@link WorkloadModel}s as configured: engineers each history on its own (so windows never straddle
 * two workloads), keeps only the rows marked trainable (failure-free, Headroom not acting, some data present),
 * learns the imputation, fits the Tribuo trainer, and calibrates on the training scores.
 */
public final class ModelTrainer {

    /** Not enough clean history to train a model. */
    public static final class InsufficientDataException extends Exception {
        private final int rows;

        InsufficientDataException(String scope, int rows, int needed) {
            super(scope + ": " + rows + " clean training rows, " + needed + " needed");
            this.rows = rows;
        }

        /** Clean rows that were available. */
        public int rows() {
            return rows;
        }
    }

    /**
     * One workload's contiguous history, oldest first.
     *
     * @param raw       row-major values, {@code features.size()} per row, NaN = missing
     * @param nRows     rows
     * @param trainable per row, whether the model may learn from it (false during failures or Headroom's actions)
     */
    public record History(double[] raw, int nRows, boolean[] trainable) {}

    /** Most rows one model is trained on. */
    public static final int MAX_ROWS = 200_000;

    private final DetectionConfig cfg;

    public ModelTrainer(DetectionConfig cfg) {
        this.cfg = cfg;
    }

    /**
     * Trains one model for {@code scope} on the trainable rows of {@code histories}.
     *
     * @param stepSeconds resolution of the histories (sets the engineering windows in steps)
     * @param rawFeatures skip feature engineering: the model sees the raw features only
     */
    public WorkloadModel train(String scope, List<String> features, List<History> histories, long stepSeconds,
                               boolean rawFeatures, Instant now) throws InsufficientDataException {
        List<FeatureEngineering.Settings> eng = rawFeatures
                ? features.stream().map(f -> FeatureEngineering.Settings.raw()).toList()
                : WorkloadModel.engineeringFor(cfg.engineering(), features, stepSeconds);
        int width = eng.stream().mapToInt(s -> s.transforms().size()).sum();
        int nf = features.size();
        List<double[]> parts = new ArrayList<>();
        int total = 0;
        for (History h : histories) {
            double[] e = WorkloadModel.engineer(h.raw(), h.nRows(), nf, eng, width);
            double[] kept = new double[h.nRows() * width];
            int k = 0;
            for (int r = 0; r < h.nRows(); r++) {
                if (h.trainable()[r] && hasData(h.raw(), r, nf)) {
                    System.arraycopy(e, r * width, kept, k * width, width);
                    k++;
                }
            }
            parts.add(java.util.Arrays.copyOf(kept, k * width));
            total += k;
        }
        if (total < cfg.minTrainingRows()) {
            throw new InsufficientDataException(scope, total, cfg.minTrainingRows());
        }
        double[] rows = new double[total * width];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, rows, at, p.length);
            at += p.length;
        }
        if (total > MAX_ROWS) {
            // Group and global models see many workloads: an even stride keeps every workload and every time
            // of day represented while bounding training time and memory.
            int kept = MAX_ROWS;
            double[] sampled = new double[kept * width];
            for (int i = 0; i < kept; i++) {
                System.arraycopy(rows, (int) ((long) i * total / kept) * width, sampled, i * width, width);
            }
            rows = sampled;
            total = kept;
        }
        Imputation imputation = Imputation.fit(rows, total, width);
        imputation.apply(rows, total);
        Standardizer standardizer = cfg.model() == DetectionConfig.Model.ONE_CLASS_SVM
                ? Standardizer.fit(rows, total, width) : null;
        double[] modelInput = standardizer == null ? rows : standardizer.apply(rows, total);
        MutableDataset<Event> data = TribuoData.expected(modelInput, total, width, "headroom " + scope);
        Model<Event> model;
        Calibration calibration;
        String type;
        if (cfg.model() == DetectionConfig.Model.ONE_CLASS_SVM) {
            double gamma = cfg.svm().gamma() > 0 ? cfg.svm().gamma() : 1.0 / width;
            OneClassSvmDetector svm = new OneClassSvmDetector(cfg.svm().nu(), gamma, cfg.forest().seed());
            model = svm.trainer().train(data, Map.of());
            int[] cols = modelColumns(model, width);
            double[] training = OneClassSvmDetector.scores(model, cols == null ? modelInput : gather(modelInput, total, width, cols),
                    total, cols == null ? width : cols.length);
            calibration = Calibration.fromTrainingScores(training, cfg.calibration().quantile(), cfg.calibration().margin());
            type = "one-class-svm";
        } else {
            DetectionConfig.Forest f = cfg.forest();
            IsolationForestTrainer trainer = new IsolationForestTrainer(f.trees(), f.sampleSize(), f.maxDepth(),
                    f.featureFraction(), 0.99, cfg.calibration().quantile(), cfg.calibration().margin(), f.seed());
            IsolationForestModel ifm = trainer.train(data);
            model = ifm;
            calibration = ifm.calibration();
            type = "isolation-forest";
        }
        // The raw mode is the plain detector, comparable with other isolation forests; the guard belongs to
        // Headroom's engineered scoring.
        RangeGuard guard = rawFeatures ? null : RangeGuard.fit(rows, total, width);
        return new WorkloadModel(type, scope, features, eng, imputation, standardizer, model,
                modelColumns(model, width), calibration, guard, now, total);
    }

    private static boolean hasData(double[] raw, int r, int nf) {
        for (int f = 0; f < nf; f++) {
            if (!Double.isNaN(raw[r * nf + f])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tribuo leaves out features it never saw with a non-zero value, so the model's columns can be a subset of
     * ours: map model feature id to our column, or null when they are identical.
     */
    static int[] modelColumns(Model<Event> model, int width) {
        var map = model.getFeatureIDMap();
        if (map.size() == width) {
            return null;
        }
        int[] cols = new int[map.size()];
        for (int id = 0; id < map.size(); id++) {
            cols[id] = Integer.parseInt(map.get(id).getName().substring(1));
        }
        return cols;
    }

    static double[] gather(double[] rows, int n, int width, int[] cols) {
        double[] out = new double[n * cols.length];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < cols.length; k++) {
                out[r * cols.length + k] = rows[r * width + cols[k]];
            }
        }
        return out;
    }
}
