package io.headroom.detect;

import io.headroom.collect.FeatureMatrix;
import io.headroom.config.DetectionConfig;
import io.headroom.metrics.Metrics;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Scores the newest row of every workload in a cycle's matrix with the model the registry picks for it, and
 * exports the result. The matrix's older rows are the engineering's trailing history. A workload with no model,
 * or no data at its newest row, gets no score: it is exported as {@code headroom_workload_scored 0}, never as 0.
 */
public final class Scorer {

    /**
     * A workload's score in this cycle.
     *
     * @param workload    the workload
     * @param model       the model used, if any
     * @param score       0-100, NaN when there is none
     * @param attribution per feature (matrix order), shares summing to 1; empty without a score
     * @param direction   per feature: +1 above its training median, -1 below, 0 unknown
     * @param rows        the raw rows the score was computed from (the lookback, oldest first, row-major in matrix
     *                    feature order): the measured use the decision stage sizes from; empty without a score
     */
    public record Result(String workload, Optional<WorkloadModel> model, double score, double[] attribution,
                         double[] direction, double[] rows) {

        /** A result without its rows. */
        public Result(String workload, Optional<WorkloadModel> model, double score, double[] attribution,
                      double[] direction) {
            this(workload, model, score, attribution, direction, new double[0]);
        }

        /** True if there is a score. */
        public boolean scored() {
            return !Double.isNaN(score);
        }
    }

    private final DetectionConfig cfg;
    private final ModelRegistry registry;
    private final Metrics metrics;
    /** Per exported workload, the scope level and type of the model series it has (null: none). */
    private final Map<String, List<String>> exported = new HashMap<>();
    /** Scope and type of each model whose age and rows are exported. */
    private final Map<String, String> exportedModels = new HashMap<>();

    public Scorer(DetectionConfig cfg, ModelRegistry registry, Metrics metrics) {
        this.cfg = cfg;
        this.registry = registry;
        this.metrics = metrics;
    }

    /** Scores and exports; {@code groups} maps workloads to their group value (may be empty). */
    public Map<String, Result> scoreLatest(FeatureMatrix m, Map<String, String> groups, Instant now) {
        Map<String, Result> out = new TreeMap<>();
        Map<String, double[]> scoredRows = new TreeMap<>();
        int steps = m.grid().size();
        for (int w = 0; w < m.workloads().size(); w++) {
            String name = m.workloads().get(w);
            Optional<WorkloadModel> model = registry.forWorkload(name, Optional.ofNullable(groups.get(name)), cfg.scope());
            Result r = new Result(name, model, Double.NaN, new double[0], new double[0]);
            if (model.isPresent() && steps > 0 && model.get().features().equals(m.features())) {
                double[] rows = Retrainer.rows(m, w);
                WorkloadModel.Scored s = model.get().score(rows, steps, steps - 1, m.grid().start().toEpochMilli(),
                        m.grid().step().toMillis());
                int nf = m.features().size();
                r = new Result(name, model, s.score()[0], java.util.Arrays.copyOf(s.attribution(), nf),
                        java.util.Arrays.copyOf(s.direction(), nf), rows);
                scoredRows.put(name, m.row(w, steps - 1));
            }
            out.put(name, r);
        }
        export(out, scoredRows, m.features(), now);
        return out;
    }

    /** Exports scores, attribution and the raw feature values they came from ({@code rows}: scored workloads only). */
    private void export(Map<String, Result> results, Map<String, double[]> rows, List<String> features, Instant now) {
        for (String gone : exported.keySet()) {
            if (!results.containsKey(gone)) {
                forget(gone, features);
            }
        }
        Map<String, List<String>> current = new HashMap<>();
        for (Result r : results.values()) {
            forget(r.workload(), features);
            metrics.workloadScored.labels(r.workload()).set(r.scored() ? 1 : 0);
            current.put(r.workload(), r.model().map(mod -> List.of(scopeLabel(mod), mod.type())).orElse(null));
            r.model().ifPresent(mod -> metrics.workloadModel.labels(r.workload(), scopeLabel(mod), mod.type()).set(1));
            if (r.scored()) {
                metrics.anomalyScore.labels(r.workload()).set(r.score());
                double[] row = rows.get(r.workload());
                for (int f = 0; f < features.size(); f++) {
                    metrics.anomalyAttribution.labels(r.workload(), features.get(f)).set(r.attribution()[f]);
                    // An empty cell stays absent rather than exported as NaN, like the score itself.
                    if (row != null && Double.isFinite(row[f])) {
                        metrics.featureValue.labels(r.workload(), features.get(f)).set(row[f]);
                    }
                }
            }
        }
        exported.clear();
        exported.putAll(current);
        Map<String, WorkloadModel> all = registry.all();
        // Models dropped from the registry (departed workloads) stop being exported.
        exportedModels.forEach((scope, type) -> {
            WorkloadModel m = all.get(scope);
            if (m == null || !m.type().equals(type)) {
                metrics.modelAge.remove(scope, type);
                metrics.modelTrainingRows.remove(scope, type);
            }
        });
        exportedModels.clear();
        for (WorkloadModel mod : all.values()) {
            exportedModels.put(mod.scope(), mod.type());
            metrics.modelAge.labels(mod.scope(), mod.type())
                    .set(Math.max(0, (now.toEpochMilli() - mod.trainedAt().toEpochMilli()) / 1000.0));
            metrics.modelTrainingRows.labels(mod.scope(), mod.type()).set(mod.trainingRows());
        }
    }

    private void forget(String workload, List<String> features) {
        metrics.anomalyScore.remove(workload);
        for (String f : features) {
            metrics.anomalyAttribution.remove(workload, f);
            metrics.featureValue.remove(workload, f);
        }
        // Only the series this workload was given: walking every model for every workload is quadratic in the
        // fleet.
        List<String> labels = exported.get(workload);
        if (labels != null) {
            metrics.workloadModel.remove(workload, labels.get(0), labels.get(1));
        }
    }

    /** {@code workload}, {@code group} or {@code global}: the level, not the name (which would repeat labels). */
    static String scopeLabel(WorkloadModel m) {
        int colon = m.scope().indexOf(':');
        return colon < 0 ? m.scope() : m.scope().substring(0, colon);
    }
}
