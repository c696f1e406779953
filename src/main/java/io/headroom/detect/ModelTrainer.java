package io.headroom.detect;

import io.headroom.config.DetectionConfig;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
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
     * @param firstMillis epoch milliseconds of row 0
     * @param stepMillis  milliseconds between rows; 0 when the rows' times are unknown, and then the history has no
     *                    {@link SeasonalProfile} and {@code seasonal} subtracts the rows a day and a week before
     */
    public record History(double[] raw, int nRows, boolean[] trainable, long firstMillis, long stepMillis) {
        /** A history whose rows' times are unknown. */
        public History(double[] raw, int nRows, boolean[] trainable) {
            this(raw, nRows, trainable, 0, 0);
        }
    }

    /**
     * Most rows one model is trained on. Group and global models see many workloads: beyond this a uniform
     * sample keeps every workload and every time of day represented while bounding training time and memory.
     */
    public static final int MAX_ROWS = 200_000;

    /**
     * How a set of histories is engineered: the settings per feature and the resulting row width.
     *
     * @param rawFeatures the model sees the raw features only
     */
    public record Engineering(List<String> features, List<FeatureEngineering.Settings> settings, int width,
                              boolean rawFeatures) {}

    /**
     * One history's engineered rows that a model may learn from, compacted, oldest first, and the history's seasonal
     * profile they were engineered with (null without one).
     */
    public record Trainable(double[] rows, int n, SeasonalProfile profile) {}

    /**
     * The trainable rows of the models of one scope, gathered history by history so that no matrix of every
     * workload is ever built; past {@link #MAX_ROWS} it keeps a seeded uniform sample of them.
     */
    public static final class Sample {
        private final Engineering engineering;
        private final RowSample rows;
        /** Whether {@link #rows} shares its array with a {@link Trainable}, which {@link #fit} must not change. */
        private boolean adopted;
        /** A model of many workloads: it keeps no one workload's seasonal profile. */
        private final boolean shared;
        private int histories;
        /** The one history's profile, which its model keeps to engineer the rows it scores as it trained. */
        private SeasonalProfile profile;

        private Sample(Engineering engineering, RowSample rows, boolean shared) {
            this.engineering = engineering;
            this.rows = rows;
            this.shared = shared;
        }

        private void count(Trainable t) {
            histories++;
            profile = !shared && histories == 1 ? t.profile() : null;
        }

        /**
         * Adds every trainable row of one history. Room for them is made first, so a sample that gets one history (an
         * own model's) is allocated once at its size and handed to the fit as is, not doubled up to a 12 MB array
         * for a week's 20,160 rows and then cut to size.
         */
        public void add(Trainable t) {
            count(t);
            rows.reserve(t.n());
            for (int r = 0; r < t.n(); r++) {
                rows.offer(t.rows(), r);
            }
        }

        /**
         * Adds the rows of an own model's one history, as {@link #add}, taking {@code t}'s rows as they are instead of
         * a copy of them (a week of a guest is 7.7 MB, and a training fits every guest's). {@code t} may still be
         * read afterwards (its rows go on to the group and global samples): {@link #fit} imputes them in place and
         * puts the missing values back when it is done.
         */
        public void adopt(Trainable t) {
            if (rows.adopt(t.rows(), t.n())) {
                count(t);
                adopted = true;
            } else {
                add(t);
            }
        }

        /** Trainable rows added so far, kept or not. */
        public long seen() {
            return rows.seen();
        }
    }

    private final DetectionConfig cfg;

    public ModelTrainer(DetectionConfig cfg) {
        this.cfg = cfg;
    }

    /** The engineering of {@code features} at {@code stepSeconds} (which sets the windows in steps). */
    public Engineering engineering(List<String> features, long stepSeconds, boolean rawFeatures) {
        List<FeatureEngineering.Settings> eng = rawFeatures
                ? features.stream().map(f -> FeatureEngineering.Settings.raw()).toList()
                : WorkloadModel.engineeringFor(cfg.engineering(), features, stepSeconds);
        int width = eng.stream().mapToInt(s -> s.transforms().size()).sum();
        return new Engineering(List.copyOf(features), eng, width, rawFeatures);
    }

    /**
     * Engineers one history on its own (so windows never straddle two workloads) and keeps the rows marked
     * trainable that have some data.
     */
    public Trainable trainable(Engineering e, History h) {
        int nf = e.features().size();
        int width = e.width();
        boolean seasonal = e.settings().stream().anyMatch(s -> s.transforms().contains(FeatureEngineering.Transform.SEASONAL));
        SeasonalProfile profile = seasonal && h.stepMillis() > 0
                ? SeasonalProfile.fit(h.raw(), h.nRows(), nf, h.trainable(), h.firstMillis(), h.stepMillis()) : null;
        double[] engineered = WorkloadModel.engineer(h.raw(), h.nRows(), nf, e.settings(), width, profile,
                h.firstMillis(), h.stepMillis());
        int k = 0;
        for (int r = 0; r < h.nRows(); r++) {
            if (h.trainable()[r] && hasData(h.raw(), r, nf)) {
                // In place: row k <= r, so nothing still needed is overwritten.
                System.arraycopy(engineered, r * width, engineered, k * width, width);
                k++;
            }
        }
        return new Trainable(k == h.nRows() ? engineered : Arrays.copyOf(engineered, Math.multiplyExact(k, width)), k,
                profile);
    }

    /** An empty sample for the model of {@code scope}; seeded by the forest seed and the scope, so reproducible. */
    public Sample sample(Engineering e, String scope) {
        return new Sample(e, new RowSample(Math.max(1, e.width()), MAX_ROWS, seed(scope)), false);
    }

    /**
     * An empty sample for a model many workloads share (a group's or the global one), as {@link #sample(Engineering,
     * String)} but keeping at most {@code bound} rows (at most {@link #MAX_ROWS}), as floats: such a sample lives
     * through a whole training beside the fleet's models, so it holds half the memory (see {@link RowSample}).
     */
    public Sample sharedSample(Engineering e, String scope, int bound) {
        return new Sample(e, new RowSample(Math.max(1, e.width()), Math.min(bound, MAX_ROWS), seed(scope), true), true);
    }

    private long seed(String scope) {
        return cfg.forest().seed() * 31 + scope.hashCode();
    }

    /**
     * Trains one model for {@code scope} on the trainable rows of {@code histories}.
     *
     * @param stepSeconds resolution of the histories (sets the engineering windows in steps)
     * @param rawFeatures skip feature engineering: the model sees the raw features only
     */
    public WorkloadModel train(String scope, List<String> features, List<History> histories, long stepSeconds,
                               boolean rawFeatures, Instant now) throws InsufficientDataException {
        Engineering e = engineering(features, stepSeconds, rawFeatures);
        Sample sample = sample(e, scope);
        for (History h : histories) {
            sample.add(trainable(e, h));
        }
        return fit(scope, sample, now);
    }

    /**
     * Trains the model of {@code scope} on a gathered sample: learns the imputation, fits the Tribuo trainer and
     * calibrates on the training scores.
     */
    public WorkloadModel fit(String scope, Sample sample, Instant now) throws InsufficientDataException {
        if (sample.seen() < cfg.minTrainingRows()) {
            throw new InsufficientDataException(scope, (int) sample.seen(), cfg.minTrainingRows());
        }
        Engineering e = sample.engineering;
        int width = e.width();
        int total = sample.rows.size();
        double[] rows = sample.rows.take();
        Imputation imputation = Imputation.fit(rows, total, width);
        // Imputed in place below. An adopted array is the trainable rows' own, which the group and global samples
        // read afterwards with their missing values: those are marked here and put back after the fit. A bit a
        // value, not a copy of the array: a week's first row always misses its counter rates, so a copy would be
        // 7.7 MB more for every guest at the training's peak.
        long[] missing = sample.adopted ? missing(rows, total * width) : null;
        imputation.apply(rows, total);
        try {
            return fit(scope, e, rows, total, imputation, sample.profile, now);
        } finally {
            if (missing != null) {
                restore(rows, missing);
            }
        }
    }

    private WorkloadModel fit(String scope, Engineering e, double[] rows, int total, Imputation imputation,
                              SeasonalProfile profile, Instant now) {
        List<String> features = e.features();
        List<FeatureEngineering.Settings> eng = e.settings();
        boolean rawFeatures = e.rawFeatures();
        int width = e.width();
        // The raw mode is the plain detector, comparable with other isolation forests; the guard belongs to
        // Headroom's engineered scoring.
        RangeGuard guard = rawFeatures ? null : RangeGuard.fit(rows, total, width);
        Standardizer standardizer = cfg.model() == DetectionConfig.Model.ONE_CLASS_SVM
                ? Standardizer.fit(rows, total, width) : null;
        double[] modelInput = standardizer == null ? rows : standardizer.apply(rows, total);
        // A view of the rows, not a copy: a list of Tribuo examples would hold each row twice over again.
        DenseEvents data = new DenseEvents(modelInput, total, width, "headroom " + scope);
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
        return new WorkloadModel(type, scope, features, eng, imputation, standardizer, model,
                modelColumns(model, width), calibration, guard, now, total, profile);
    }

    /** A bit set of the missing values among the first {@code values}, or null if none is missing. */
    private static long[] missing(double[] rows, int values) {
        long[] bits = null;
        for (int i = 0; i < values; i++) {
            if (Double.isNaN(rows[i])) {
                if (bits == null) {
                    bits = new long[(values + 63) >>> 6];
                }
                bits[i >>> 6] |= 1L << i;
            }
        }
        return bits;
    }

    /** Puts the missing values {@link #missing} marked back. */
    private static void restore(double[] rows, long[] missing) {
        for (int w = 0; w < missing.length; w++) {
            for (long bits = missing[w]; bits != 0; bits &= bits - 1) {
                rows[(w << 6) + Long.numberOfTrailingZeros(bits)] = Double.NaN;
            }
        }
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
