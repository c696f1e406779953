package io.headroom.detect;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.DetectionConfig;
import java.time.Instant;
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

    /**
     * Workloads fetched and engineered together by a batched training. A batch of a 7-day window at 30 s with 8
     * features is about 40 MB of raw rows; with the bounded group and global samples and the model being fitted
     * that keeps a training within the launcher's 512 MiB heap whatever the fleet, and a fleet this small is
     * still fetched with one query per feature, as before batching.
     */
    public static final int BATCH_WORKLOADS = 32;

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
        Session s = session(history.features(), history.grid(), groups, now);
        s.add(history, excluded);
        return s.finish();
    }

    /**
     * A training fed batch by batch of workloads (each a matrix of some workloads over the same grid), so that
     * memory is bounded by a batch, not by the fleet: each workload's own model is trained from its own slice
     * as its batch arrives, and group and global models gather bounded samples across batches.
     */
    public Session session(List<String> features, StepGrid grid, Map<String, String> groups, Instant now) {
        return new Session(features, grid, groups, now);
    }

    /** One training in progress; see {@link #session}. Not thread-safe. */
    public final class Session {
        private final List<String> features;
        private final StepGrid grid;
        private final long[] millis;
        private final Map<String, String> groups;
        private final Instant now;
        private final ModelTrainer.Engineering engineering;
        private final DetectionConfig.Scope scope = cfg.scope();
        private final Map<String, ModelTrainer.Sample> shared = new TreeMap<>();
        private final Map<String, WorkloadModel> models = new TreeMap<>();
        private final Map<String, String> skipped = new TreeMap<>();

        private Session(List<String> features, StepGrid grid, Map<String, String> groups, Instant now) {
            this.features = List.copyOf(features);
            this.grid = grid;
            this.groups = groups;
            this.now = now;
            this.millis = new long[grid.size()];
            for (int i = 0; i < millis.length; i++) {
                millis[i] = grid.timestampAt(i);
            }
            this.engineering = trainer.engineering(features, (long) grid.stepSeconds(), false);
        }

        /** Trains the own models of the batch's workloads and adds their rows to the group and global samples. */
        public void add(FeatureMatrix batch, Map<String, List<Interval>> excluded) {
            if (!batch.features().equals(features) || !batch.grid().equals(grid)) {
                throw new IllegalArgumentException("a batch must have the session's features and grid");
            }
            boolean own = scope == DetectionConfig.Scope.WORKLOAD || scope == DetectionConfig.Scope.AUTO;
            boolean byGroup = (scope == DetectionConfig.Scope.GROUP || scope == DetectionConfig.Scope.AUTO)
                    && !groups.isEmpty();
            boolean global = scope == DetectionConfig.Scope.GLOBAL || scope == DetectionConfig.Scope.AUTO;
            for (int w = 0; w < batch.workloads().size(); w++) {
                String name = batch.workloads().get(w);
                boolean[] ok = Interval.trainable(millis, excluded.getOrDefault(name, List.of()), cfg.failureMargin());
                ModelTrainer.Trainable t = trainer.trainable(engineering,
                        new ModelTrainer.History(rows(batch, w), millis.length, ok));
                if (own) {
                    String key = ModelRegistry.workloadKey(name);
                    ModelTrainer.Sample s = trainer.sample(engineering, key);
                    s.add(t);
                    fit(key, s);
                }
                String g = groups.get(name);
                if (byGroup && g != null) {
                    String key = ModelRegistry.groupKey(g);
                    shared.computeIfAbsent(key, k -> trainer.sample(engineering, k)).add(t);
                }
                if (global) {
                    shared.computeIfAbsent(ModelRegistry.GLOBAL, k -> trainer.sample(engineering, k)).add(t);
                }
            }
        }

        /** Trains the group and global models on their samples; the result of the whole training. */
        public Result finish() {
            shared.forEach(this::fit);
            shared.clear();
            return new Result(models, skipped);
        }

        private void fit(String key, ModelTrainer.Sample sample) {
            try {
                models.put(key, trainer.fit(key, sample, now));
            } catch (ModelTrainer.InsufficientDataException e) {
                skipped.put(key, e.getMessage());
                LOG.debug("not training {}", e.getMessage());
            }
        }
    }

    /** One workload's rows of the matrix, row-major, oldest first. */
    public static double[] rows(FeatureMatrix m, int workload) {
        int steps = m.grid().size();
        int nf = m.features().size();
        double[] out = new double[Math.multiplyExact(steps, nf)];
        for (int s = 0; s < steps; s++) {
            for (int f = 0; f < nf; f++) {
                out[s * nf + f] = m.value(workload, s, f);
            }
        }
        return out;
    }
}
