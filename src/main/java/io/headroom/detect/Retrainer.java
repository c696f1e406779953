package io.headroom.detect;

import io.headroom.collect.FeatureMatrix;
import io.headroom.config.DetectionConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains every model the configured scope needs from one history matrix: a model per workload with enough clean
 * rows, a model per group, and the global model (auto scope trains all three, so a new workload is scored on its
 * first cycle by its group's or the global model). Rows inside excluded intervals (failures, Headroom's own
 * interventions) are engineered as context but never learned from.
 */
public final class Retrainer {

    private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);

    /**
     * What one training produced.
     *
     * @param models  trained models by scope key
     * @param skipped scope keys that could not be trained, with the reason
     */
    public record Result(Map<String, WorkloadModel> models, Map<String, String> skipped) {}

    private final DetectionConfig cfg;
    private final ModelTrainer trainer;

    public Retrainer(DetectionConfig cfg) {
        this.cfg = cfg;
        this.trainer = new ModelTrainer(cfg);
    }

    /**
     * @param history  the training window, every workload, at the scoring step
     * @param excluded per workload, intervals not to learn from (margins are applied here)
     * @param groups   workload to group value, for group models (may be empty)
     */
    public Result train(FeatureMatrix history, Map<String, List<Interval>> excluded, Map<String, String> groups,
                        Instant now) {
        long[] grid = new long[history.grid().size()];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = history.grid().timestampAt(i);
        }
        long step = (long) history.grid().stepSeconds();
        Map<String, ModelTrainer.History> histories = new LinkedHashMap<>();
        for (int w = 0; w < history.workloads().size(); w++) {
            String name = history.workloads().get(w);
            boolean[] ok = Interval.trainable(grid, excluded.getOrDefault(name, List.of()), cfg.failureMargin());
            histories.put(name, new ModelTrainer.History(rows(history, w), grid.length, ok));
        }
        Map<String, WorkloadModel> models = new TreeMap<>();
        Map<String, String> skipped = new TreeMap<>();
        DetectionConfig.Scope scope = cfg.scope();
        if (scope == DetectionConfig.Scope.WORKLOAD || scope == DetectionConfig.Scope.AUTO) {
            histories.forEach((name, h) -> fit(ModelRegistry.workloadKey(name), history, List.of(h), step, now,
                    models, skipped));
        }
        if ((scope == DetectionConfig.Scope.GROUP || scope == DetectionConfig.Scope.AUTO) && !groups.isEmpty()) {
            Map<String, List<ModelTrainer.History>> byGroup = new TreeMap<>();
            histories.forEach((name, h) -> {
                String g = groups.get(name);
                if (g != null) {
                    byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(h);
                }
            });
            byGroup.forEach((g, hs) -> fit(ModelRegistry.groupKey(g), history, hs, step, now, models, skipped));
        }
        if (scope == DetectionConfig.Scope.GLOBAL || scope == DetectionConfig.Scope.AUTO) {
            fit(ModelRegistry.GLOBAL, history, List.copyOf(histories.values()), step, now, models, skipped);
        }
        return new Result(models, skipped);
    }

    private void fit(String key, FeatureMatrix history, List<ModelTrainer.History> hs, long step, Instant now,
                     Map<String, WorkloadModel> models, Map<String, String> skipped) {
        if (hs.isEmpty()) {
            return;
        }
        try {
            models.put(key, trainer.train(key, history.features(), hs, step, false, now));
        } catch (ModelTrainer.InsufficientDataException e) {
            skipped.put(key, e.getMessage());
            LOG.debug("not training {}", e.getMessage());
        }
    }

    /** One workload's rows of the matrix, row-major, oldest first. */
    public static double[] rows(FeatureMatrix m, int workload) {
        int steps = m.grid().size();
        int nf = m.features().size();
        double[] out = new double[steps * nf];
        for (int s = 0; s < steps; s++) {
            for (int f = 0; f < nf; f++) {
                out[s * nf + f] = m.value(workload, s, f);
            }
        }
        return out;
    }
}
