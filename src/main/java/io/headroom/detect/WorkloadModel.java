package io.headroom.detect;

import io.headroom.config.DetectionConfig;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tribuo.Model;
import org.tribuo.anomaly.Event;

/**
 * A trained scorer for one scope (a workload, a group or the whole host): causal feature engineering, median
 * imputation, a Tribuo anomaly model and its 0-100 calibration, kept together and serialized together so that
 * scoring always sees data exactly as training did.
 *
 * <p>{@link #score} is the hot path: it engineers and scores flat arrays; for the isolation forest it never
 * goes through Tribuo objects.
 */
public final class WorkloadModel implements Serializable {

    /** 2: deviation became a difference, not a z-score; a scorer saved before would engineer differently. */
    private static final long serialVersionUID = 2L;

    private final String type;
    private final String scope;
    private final List<String> features;
    private final List<FeatureEngineering.Settings> engineering;
    private final int width;
    private final int[] columnSource;
    private final int[] levelColumn;
    private final Imputation imputation;
    private final Standardizer standardizer;
    private final Model<Event> model;
    private final int[] modelColumns;
    private final Calibration calibration;
    private final RangeGuard rangeGuard;
    private final Instant trainedAt;
    private final int trainingRows;
    /**
     * The workload's usual levels by hour, for an own model; null for a shared model (whose workloads each have
     * their own rhythm) and for a model saved before profiles existed, which subtract yesterday's rows instead.
     */
    private final SeasonalProfile profile;

    WorkloadModel(String type, String scope, List<String> features, List<FeatureEngineering.Settings> engineering,
                  Imputation imputation, Standardizer standardizer, Model<Event> model, int[] modelColumns, Calibration calibration,
                  RangeGuard rangeGuard, Instant trainedAt, int trainingRows, SeasonalProfile profile) {
        this.type = type;
        this.scope = scope;
        this.features = List.copyOf(features);
        this.engineering = List.copyOf(engineering);
        this.imputation = imputation;
        this.standardizer = standardizer;
        this.model = model;
        this.modelColumns = modelColumns;
        this.calibration = calibration;
        this.rangeGuard = rangeGuard;
        this.trainedAt = trainedAt;
        this.trainingRows = trainingRows;
        this.profile = profile;
        int w = 0;
        List<Integer> sources = new ArrayList<>();
        this.levelColumn = new int[features.size()];
        for (int f = 0; f < features.size(); f++) {
            levelColumn[f] = -1;
            List<FeatureEngineering.Transform> ts = engineering.get(f).transforms();
            for (FeatureEngineering.Transform t : ts) {
                if (t == FeatureEngineering.Transform.LEVEL) {
                    levelColumn[f] = w;
                }
                sources.add(f);
                w++;
            }
        }
        this.width = w;
        this.columnSource = sources.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Per-feature engineering settings from the config, for data at {@code stepSeconds} resolution. */
    public static List<FeatureEngineering.Settings> engineeringFor(DetectionConfig.Engineering cfg, List<String> features,
                                                                   long stepSeconds) {
        List<FeatureEngineering.Settings> out = new ArrayList<>();
        for (String f : features) {
            List<String> names = cfg.perFeature().getOrDefault(f, cfg.transforms());
            List<FeatureEngineering.Transform> ts = names.stream()
                    .map(n -> FeatureEngineering.Transform.valueOf(n.toUpperCase(Locale.ROOT))).toList();
            out.add(FeatureEngineering.Settings.of(ts, cfg.window().toSeconds(), stepSeconds));
        }
        return out;
    }

    /**
     * Engineered columns of {@code nRows} raw rows ({@code features.size()} values each, NaN = missing), the first
     * at {@code firstMillis} and {@code stepMillis} apart (which hour each row is in, for the seasonal profile).
     */
    double[] engineer(double[] raw, int nRows, long firstMillis, long stepMillis) {
        return engineer(raw, nRows, features.size(), engineering, width, profile, firstMillis, stepMillis);
    }

    /**
     * Engineers a history; with a {@code profile}, {@code seasonal} subtracts each row's usual level at its hour,
     * else the rows a day and a week before it.
     */
    static double[] engineer(double[] raw, int nRows, int nFeatures, List<FeatureEngineering.Settings> engineering,
                             int width, SeasonalProfile profile, long firstMillis, long stepMillis) {
        double[] out = new double[nRows * width];
        int c = 0;
        for (int f = 0; f < nFeatures; f++) {
            FeatureEngineering.Settings s = engineering.get(f);
            double[] baseline = profile != null && stepMillis > 0
                    && s.transforms().contains(FeatureEngineering.Transform.SEASONAL)
                    ? profile.baseline(f, nRows, firstMillis, stepMillis) : null;
            FeatureEngineering.apply(raw, nRows, nFeatures, f, s, out, c, width, baseline);
            c += s.transforms().size();
        }
        return out;
    }

    /**
     * Scores rows {@code from..nRows-1} of a contiguous raw history (older rows give the engineering its
     * trailing windows), whose times are not known (an offline CSV). A row whose raw features are all missing gets
     * no score (NaN), never 0.
     */
    public Scored score(double[] raw, int nRows, int from) {
        return score(raw, nRows, from, 0, 0);
    }

    /**
     * As {@link #score(double[], int, int)}, for rows whose times are known: the first at {@code firstMillis}, each
     * {@code stepMillis} after the one before (0: unknown, and {@code seasonal} then reads the rows a day and a week
     * before, as a model without a profile always does).
     */
    public Scored score(double[] raw, int nRows, int from, long firstMillis, long stepMillis) {
        int nf = features.size();
        double[] eng = engineer(raw, nRows, firstMillis, stepMillis);
        int n = nRows - from;
        double[] engRows = new double[n * width];
        System.arraycopy(eng, from * width, engRows, 0, n * width);
        imputation.apply(engRows, n);
        double[] input = standardizer == null ? engRows : standardizer.apply(engRows, n);
        double[] modelRows = modelColumns == null ? input : gather(input, n);
        int modelWidth = modelColumns == null ? width : modelColumns.length;
        double[] rawScores = model instanceof IsolationForestModel ifm
                ? ifm.forest().scoreBatch(modelRows, n, modelWidth)
                : OneClassSvmDetector.scores(model, modelRows, n, modelWidth);
        double[] calibrated = new double[n];
        calibration.apply(rawScores, n, calibrated);
        double[] attribution = attribution(modelRows, n, modelWidth);
        if (rangeGuard != null) {
            guard(engRows, n, calibrated, attribution);
        }
        double[] direction = new double[n * nf];
        for (int r = 0; r < n; r++) {
            boolean any = false;
            for (int f = 0; f < nf; f++) {
                double v = raw[(from + r) * nf + f];
                any |= !Double.isNaN(v);
                direction[r * nf + f] = side(f, v);
            }
            if (!any) {
                rawScores[r] = Double.NaN;
                calibrated[r] = Double.NaN;
            }
        }
        return new Scored(n, nf, rawScores, calibrated, attribution, direction);
    }

    /**
     * Which side of normal feature {@code f}'s level {@code v} is on; the decision stage reads +1 on a pressure
     * feature as "short of that resource". With the range guard (engineered scoring) a level inside the training
     * range counts as neither side: noise around normal, or a trailing transform still remembering an incident
     * that has ended (or Headroom's own change), must not ask for resources while the level itself is one the
     * guest has lived with. Without it (raw features) the side is relative to the training median.
     */
    private double side(int f, double v) {
        int lc = levelColumn[f];
        if (lc < 0 || Double.isNaN(v)) {
            return 0;
        }
        if (rangeGuard != null) {
            return rangeGuard.side(lc, v);
        }
        double median = imputation.fill(lc);
        return Double.isNaN(median) ? 0 : Math.signum(v - median);
    }

    /**
     * Raises a row's score to its {@link RangeGuard} score where that is higher, and then attributes the row by
     * exceedance, since that is what made it anomalous.
     */
    private void guard(double[] engRows, int n, double[] calibrated, double[] attribution) {
        int nf = features.size();
        double[] perFeature = new double[nf];
        for (int r = 0; r < n; r++) {
            Arrays.fill(perFeature, 0);
            double worst = 0;
            for (int c = 0; c < width; c++) {
                double e = rangeGuard.exceedance(c, engRows[r * width + c]);
                perFeature[columnSource[c]] += e;
                worst = Math.max(worst, e);
            }
            double guardScore = RangeGuard.score(worst);
            if (guardScore > calibrated[r]) {
                calibrated[r] = guardScore;
                double total = Arrays.stream(perFeature).sum();
                for (int f = 0; f < nf; f++) {
                    attribution[r * nf + f] = perFeature[f] / total;
                }
            }
        }
    }

    private double[] gather(double[] rows, int n) {
        return ModelTrainer.gather(rows, n, width, modelColumns);
    }

    /** Per input feature, summed over its engineered columns; for the SVM, distance from the training mean in sd. */
    private double[] attribution(double[] modelRows, int n, int modelWidth) {
        int nf = features.size();
        double[] out = new double[n * nf];
        double[] cols = new double[modelWidth];
        for (int r = 0; r < n; r++) {
            if (model instanceof IsolationForestModel ifm) {
                ifm.forest().attribution(modelRows, r * modelWidth, cols);
            } else {
                double total = 0;
                for (int k = 0; k < modelWidth; k++) {
                    cols[k] = Math.abs(modelRows[r * modelWidth + k]);
                    total += cols[k];
                }
                for (int k = 0; k < modelWidth; k++) {
                    cols[k] = total > 0 ? cols[k] / total : 0;
                }
            }
            for (int k = 0; k < modelWidth; k++) {
                int col = modelColumns == null ? k : modelColumns[k];
                out[r * nf + columnSource[col]] += cols[k];
            }
        }
        return out;
    }

    /** Detector type: {@code isolation-forest} or {@code one-class-svm}. */
    public String type() {
        return type;
    }

    /** What the model was trained on: {@code workload:<name>}, {@code group:<value>} or {@code global}. */
    public String scope() {
        return scope;
    }

    /** Input feature names, in matrix column order. */
    public List<String> features() {
        return features;
    }

    public Instant trainedAt() {
        return trainedAt;
    }

    /** The workload's usual levels by hour that {@code seasonal} subtracts, if this model has them. */
    public Optional<SeasonalProfile> profile() {
        return Optional.ofNullable(profile);
    }

    /** Clean rows the model learned from. */
    public int trainingRows() {
        return trainingRows;
    }

    /** Columns the model itself sees: the engineered columns, less any that were zero in every training row. */
    public int modelWidth() {
        return modelColumns == null ? width : modelColumns.length;
    }

    /**
     * About how much heap keeping this model costs, in bytes: a forest's arrays exactly, plus what every model
     * holds besides (Tribuo's feature map and provenance, imputation, guard, calibration: about 300 bytes a column
     * and 16 KiB); other model types by their serialized size, computed once.
     */
    public long retainedBytes() {
        long rest = 16_384L + 300L * width + (profile == null ? 0 : 8L * profile.slots() * features.size());
        if (model instanceof IsolationForestModel f) {
            return f.forest().retainedBytes() + rest;
        }
        if (serializedBytes == 0) {
            serializedBytes = serializedSize(model);
        }
        return serializedBytes + rest;
    }

    private transient long serializedBytes;

    private static long serializedSize(Object o) {
        long[] n = {0};
        java.io.OutputStream counter = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                n[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                n[0] += len;
            }
        };
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(counter)) {
            out.writeObject(o);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return n[0];
    }

    /** The Tribuo model behind this scorer. */
    public Model<Event> model() {
        return model;
    }

    /** The 0-100 calibration. */
    public Calibration calibration() {
        return calibration;
    }

    /**
     * Scores of {@code n} rows.
     *
     * @param n           rows
     * @param nFeatures   input features
     * @param raw         raw detector scores (higher = more anomalous; NaN = no data)
     * @param score       calibrated 0-100 scores (NaN = no data)
     * @param attribution row-major {@code n x nFeatures}: each feature's share of the anomaly (rows sum to 1)
     * @param direction   row-major {@code n x nFeatures}: +1 above the training range, -1 below, 0 inside or
     *                    unknown (relative to the training median for a raw-features model, which has no range)
     */
    public record Scored(int n, int nFeatures, double[] raw, double[] score, double[] attribution, double[] direction) {}
}
