package io.headroom.detect;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.DetectionConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
     * @param overBudget how many of them were workloads left without an own model by the model memory budget
     */
    public record Result(Map<String, WorkloadModel> models, Map<String, String> skipped, int overBudget) {}

    /**
     * Workloads fetched and engineered together by a batched training. A batch of a 7-day window at 30 s with 8
     * features is about 10 MB of raw rows, and two are held at once (one fitted, the next fetched); with the
     * bounded group and global samples (under 10 MB each) and the week being fitted (8 MB, imputed in place) that
     * keeps a training's working set near 50 MB whatever the fleet. Every 10 MB of it at the training's peak
     * is about 11 MiB of the daemon's RSS, since the heap is sized to what is live; the history cache leaves a
     * retraining's fetches small, so the extra queries of smaller batches cost a cold training little.
     */
    public static final int BATCH_WORKLOADS = 8;

    /**
     * Rows the global model's sample holds, and the group models' samples together. A shared model needs no more:
     * its trees draw {@code sample_size} rows each (25,600 at the defaults, about half of these), its calibration
     * scores all of them, and a median or a minimum and maximum over this many rows of a thousand guests is as good
     * as over twice as many. Both samples live until the training's end, beside the models of the whole fleet, so
     * they are what a training holds besides its batch: at 48 columns 9.6 MB each, as floats
     * ({@link ModelTrainer#sharedSample}); an eighth of what {@link ModelTrainer#MAX_ROWS} doubles took.
     */
    public static final int SHARED_ROWS = 50_000;

    /**
     * Rows the group models' samples hold together, split evenly among the groups: every group's sample lives until
     * the end of the training, so a bound per group would let memory grow with the number of groups (a group per
     * tenant is a group per few guests). With one group it is {@link #SHARED_ROWS}.
     */
    public static final int GROUP_ROWS = SHARED_ROWS;

    /** Rows each group model's sample may hold when the fleet has {@code groups} groups: at least one. */
    static int groupSampleRows(int groups) {
        return Math.max(1, GROUP_ROWS / Math.max(1, groups));
    }

    /**
     * Workloads of a batch whose own models are trained at once: one per core but one, up to four, so a training
     * never takes every core from the cycle (on two cores, one). Fitting one workload is mostly single-threaded,
     * so on four cores this cuts a fleet's training to about a third. Each holds one workload's engineered week
     * (about 8 MB at 48 columns) while it runs, so memory stays bounded by this, not by the batch.
     */
    static final int TRAINING_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final DetectionConfig cfg;
    private final ModelTrainer trainer;

    private final int threads;

    public Retrainer(DetectionConfig cfg) {
        this(cfg, TRAINING_THREADS);
    }

    /** With {@code threads} own models fitted at once (tests compare thread counts). */
    Retrainer(DetectionConfig cfg, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.cfg = cfg;
        this.trainer = new ModelTrainer(cfg);
        this.threads = threads;
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
        /** Each group sample's bound: {@link #GROUP_ROWS} shared among the groups. */
        private final int groupRows;
        private final Map<String, WorkloadModel> models = new TreeMap<>();
        private final Map<String, String> skipped = new TreeMap<>();
        /** Models fitted since the last {@link #takeFitted}. */
        private final Map<String, WorkloadModel> fitted = new TreeMap<>();
        private ExecutorService pool;
        /** Heap the models may hold; see {@link #limitModelMemory}. */
        private long budget = Long.MAX_VALUE;
        /** Bytes of each model in memory, the held ones and those this session fitted or reserved room for. */
        private final Map<String, Long> bytes = new HashMap<>();
        /** Bytes of the model each reservation would replace (0 if none), until it is settled. */
        private final Map<String, Long> previous = new HashMap<>();
        private long total;
        /** The largest own model fitted so far (or held), the estimate for one not fitted yet. */
        private long typical;
        /** False while {@link #typical} is only the first guess, before any own model was held or fitted. */
        private boolean measured;
        private int overBudget;

        private Session(List<String> features, StepGrid grid, Map<String, String> groups, Instant now) {
            this.features = List.copyOf(features);
            this.grid = grid;
            this.groups = groups;
            this.groupRows = groupSampleRows(new HashSet<>(groups.values()).size());
            this.now = now;
            this.millis = new long[grid.size()];
            for (int i = 0; i < millis.length; i++) {
                millis[i] = grid.timestampAt(i);
            }
            this.engineering = trainer.engineering(features, (long) grid.stepSeconds(), false);
        }

        /**
         * Keeps the models within {@code budgetBytes} of heap: before fitting a workload's own model, the session
         * counts what {@code held} (the models in memory as it starts) and the models it fitted already keep, less
         * the model the new one replaces, plus the new one's size (its predecessor's, or the largest fitted so
         * far); replacing a model is always allowed, as it adds nothing. A workload that does not fit gets no own
         * model and is reported in {@link Result#skipped} and {@link Result#overBudget}; in auto scope its group's
         * or the global model scores it (in workload scope nothing does). Group and global models are always
         * trained. So a fleet too large for the heap is scored, not killed by an OutOfMemoryError.
         */
        public Session limitModelMemory(long budgetBytes, Map<String, WorkloadModel> held) {
            this.budget = budgetBytes;
            held.forEach((key, m) -> {
                long b = m.retainedBytes();
                bytes.put(key, b);
                total += b;
                if (key.startsWith(ModelRegistry.workloadKey(""))) {
                    typical = Math.max(typical, b);
                    measured = true;
                }
            });
            if (!measured) {
                // Nothing fitted yet: a tree rarely has as many nodes as rows sampled (about 0.64 of them at 256),
                // at 7 to 10 bytes a node (IsolationForest#retainedBytes), so this overestimates until the first model
                // is fitted.
                typical = (long) cfg.forest().trees() * cfg.forest().sampleSize() * 10;
            }
            return this;
        }

        /**
         * The models fitted since the last call, for the caller to swap in batch by batch: the models they replace
         * are then let go as the training goes, rather than all kept until it ends.
         */
        public Map<String, WorkloadModel> takeFitted() {
            Map<String, WorkloadModel> out = new TreeMap<>(fitted);
            fitted.clear();
            return out;
        }

        /**
         * Trains the own models of the batch's workloads and adds their rows to the group and global samples. Own
         * models are fitted {@link #TRAINING_THREADS} workloads at a time; the samples take the rows in workload
         * order, so the result is the same whatever the number of threads.
         */
        public void add(FeatureMatrix batch, Map<String, List<Interval>> excluded) {
            if (!batch.features().equals(features) || !batch.grid().equals(grid)) {
                throw new IllegalArgumentException("a batch must have the session's features and grid");
            }
            boolean own = scope == DetectionConfig.Scope.WORKLOAD || scope == DetectionConfig.Scope.AUTO;
            boolean byGroup = (scope == DetectionConfig.Scope.GROUP || scope == DetectionConfig.Scope.AUTO)
                    && !groups.isEmpty();
            boolean global = scope == DetectionConfig.Scope.GLOBAL || scope == DetectionConfig.Scope.AUTO;
            int n = batch.workloads().size();
            for (int from = 0; from < n; from += threads) {
                List<Future<Own>> running = new ArrayList<>();
                List<Long> reserved = new ArrayList<>();
                for (int w = from; w < Math.min(n, from + threads); w++) {
                    int i = w;
                    long room = own ? reserve(ModelRegistry.workloadKey(batch.workloads().get(w))) : 0;
                    reserved.add(room);
                    running.add(pool().submit(() -> own(batch, i, excluded, own, room)));
                }
                for (int r = 0; r < running.size(); r++) {
                    Own o = join(running.get(r));
                    if (o.key != null) {
                        settle(o, reserved.get(r));
                    }
                    String g = groups.get(o.name);
                    if (byGroup && g != null) {
                        String key = ModelRegistry.groupKey(g);
                        shared.computeIfAbsent(key, k -> trainer.sharedSample(engineering, k, groupRows)).add(o.rows);
                    }
                    if (global) {
                        shared.computeIfAbsent(ModelRegistry.GLOBAL,
                                k -> trainer.sharedSample(engineering, k, SHARED_ROWS)).add(o.rows);
                    }
                }
            }
        }

        /** One workload's trainable rows and, if the scope trains it, its own model or why there is none. */
        private record Own(String name, ModelTrainer.Trainable rows, String key,
                           Optional<WorkloadModel> fitted, String skippedWhy) {}

        private Own own(FeatureMatrix batch, int w, Map<String, List<Interval>> excluded, boolean own, long room) {
            String name = batch.workloads().get(w);
            boolean[] ok = Interval.trainable(millis, excluded.getOrDefault(name, List.of()), cfg.failureMargin());
            ModelTrainer.Trainable t = trainer.trainable(engineering,
                    new ModelTrainer.History(rows(batch, w), millis.length, ok,
                            grid.start().toEpochMilli(), grid.step().toMillis()));
            if (!own) {
                return new Own(name, t, null, Optional.empty(), null);
            }
            String key = ModelRegistry.workloadKey(name);
            if (room < 0) {
                return new Own(name, t, key, Optional.empty(), null);
            }
            ModelTrainer.Sample s = trainer.sample(engineering, key);
            s.adopt(t);
            try {
                return new Own(name, t, key, Optional.of(trainer.fit(key, s, now)), null);
            } catch (ModelTrainer.InsufficientDataException e) {
                LOG.debug("not training {}", e.getMessage());
                return new Own(name, t, key, Optional.empty(), e.getMessage());
            }
        }

        /**
         * Reserves room for {@code key}'s new model: the bytes reserved, or -1 if it does not fit the budget (the
         * model it would replace, if any, stays). Called in workload order, so the outcome does not depend on
         * threads.
         */
        private long reserve(String key) {
            long old = bytes.getOrDefault(key, 0L);
            previous.put(key, old);
            long estimate = old > 0 ? old : typical;
            long projected = total - old + estimate;
            // A model replaced by one no larger never makes things worse: the workloads that had their own keep it.
            if (projected > budget && projected > total) {
                return -1;
            }
            total = projected;
            bytes.put(key, estimate);
            return estimate;
        }

        /** Records a workload's own model, or why there is none, and trues up the room reserved for it. */
        private void settle(Own o, long room) {
            if (o.fitted.isPresent()) {
                WorkloadModel m = o.fitted.get();
                long actual = m.retainedBytes();
                total += actual - room;
                bytes.put(o.key, actual);
                typical = measured ? Math.max(typical, actual) : actual;
                measured = true;
                models.put(o.key, m);
                fitted.put(o.key, m);
                return;
            }
            long old = previous.remove(o.key);
            if (room < 0) {
                overBudget++;
                skipped.put(o.key, String.format(Locale.ROOT, "%s: no room for its own model (models hold %d MiB "
                        + "of a %d MiB budget); %s", o.key, total >> 20, budget >> 20,
                        scope == DetectionConfig.Scope.AUTO ? "its group's or the global model scores it"
                                : "it is not scored (detection.scope workload has no fallback model)"));
                return;
            }
            skipped.put(o.key, o.skippedWhy);
            // Too little data: the reservation goes, and the model it would have replaced, if any, stays.
            total += old - room;
            if (old > 0) {
                bytes.put(o.key, old);
            } else {
                bytes.remove(o.key);
            }
        }

        /**
         * The session's threads. They end after a minute idle, so a session abandoned when a batch's fetch fails
         * leaves nothing running.
         */
        private ExecutorService pool() {
            if (pool == null) {
                ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                        new LinkedBlockingQueue<>(), r -> {
                            Thread t = new Thread(r, "headroom-training-" + THREAD_IDS.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
                p.allowCoreThreadTimeOut(true);
                pool = p;
            }
            return pool;
        }

        private <T> T join(Future<T> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("training interrupted", e);
            } catch (ExecutionException e) {
                close();
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /** Stops the session's threads; {@link #finish} does, and a failed batch. */
        private void close() {
            if (pool != null) {
                pool.shutdownNow();
                pool = null;
            }
        }

        /** Trains the group and global models on their samples; the result of the whole training. */
        public Result finish() {
            close();
            shared.forEach(this::fit);
            shared.clear();
            return new Result(models, skipped, overBudget);
        }

        private void fit(String key, ModelTrainer.Sample sample) {
            try {
                WorkloadModel m = trainer.fit(key, sample, now);
                models.put(key, m);
                fitted.put(key, m);
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
