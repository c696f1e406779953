package io.headroom.cycle;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.DetectionConfig;
import io.headroom.detect.Interval;
import io.headroom.detect.ModelRegistry;
import io.headroom.detect.Retrainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One training of every model over a window, batch by batch of {@link Retrainer#BATCH_WORKLOADS} workloads: one
 * matrix of a whole fleet's training window does not fit a small heap. The same for the daemon, which fetches each
 * batch from Prometheus (what its history cache kept from the last training excepted), and the simulator, which copies it from its series. Each batch's new models are swapped
 * into the registry as the batch ends (a cycle may score some workloads with this training's models and others
 * with the last one's, each model whole), and the models together stay within {@link #modelMemoryBudget}. The
 * next batch is fetched, on a {@code headroom-train-fetch-N} thread, while one is fitted.
 */
public final class BatchTraining {

    /** The training rows of one batch of workloads. */
    @FunctionalInterface
    public interface Source {
        /** The matrix of {@code batch} over the training grid, workloads in {@code batch}'s order. */
        FeatureMatrix rows(List<String> batch, boolean wholeFleet) throws Exception;
    }

    private BatchTraining() {}

    /**
     * Trains every model the scope needs on {@code grid} and swaps them into {@code registry}.
     *
     * @param workloads every workload to train, in order
     * @param features  feature names, in matrix order
     * @param groups    workload to group value (may be empty)
     * @param excluded  intervals not to learn from, per workload ({@link Exclusions})
     * @param source    fetches one batch; {@code wholeFleet} is true when the batch is every workload
     */
    public static Retrainer.Result train(DetectionConfig cfg, List<String> workloads, List<String> features,
                                         StepGrid grid, Map<String, String> groups, Map<String, List<Interval>> excluded,
                                         Instant now, Source source, ModelRegistry registry) throws Exception {
        Retrainer.Session session = new Retrainer(cfg).session(features, grid, groups, now)
                .limitModelMemory(modelMemoryBudget(), registry.all());
        List<List<String>> batches = new ArrayList<>();
        for (int b = 0; b < workloads.size(); b += Retrainer.BATCH_WORKLOADS) {
            batches.add(workloads.subList(b, Math.min(workloads.size(), b + Retrainer.BATCH_WORKLOADS)));
        }
        boolean wholeFleet = batches.size() == 1;
        ExecutorService fetcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "headroom-train-fetch-" + FETCH_THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Future<FeatureMatrix> next = batches.isEmpty() ? null
                    : fetcher.submit(() -> source.rows(batches.get(0), wholeFleet));
            for (int b = 0; b < batches.size(); b++) {
                FeatureMatrix rows = take(next);
                // The next batch is fetched while this one is fitted: the fetch waits on Prometheus and the JSON,
                // the fit on a core. One batch ahead at most, so a training holds two batches' rows, not more.
                int following = b + 1;
                next = following < batches.size()
                        ? fetcher.submit(() -> source.rows(batches.get(following), false)) : null;
                session.add(rows, excluded);
                // Batch by batch, so the models these replace are let go as the training goes.
                registry.putAll(session.takeFitted());
            }
        } finally {
            fetcher.shutdownNow();
        }
        Retrainer.Result r = session.finish();
        registry.putAll(session.takeFitted());
        return r;
    }

    private static final AtomicInteger FETCH_THREAD_IDS = new AtomicInteger();

    /** The fetched rows, or the fetch's own exception. */
    private static FeatureMatrix take(Future<FeatureMatrix> fetch) throws Exception {
        try {
            return fetch.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /**
     * Share of the heap the models may hold. The rest is the training's own working set: the group and global
     * samples ({@link Retrainer#SHARED_ROWS} rows of floats each, under 10 MB at 48 columns), two batches' rows, the
     * workloads being fitted, and the cycles running meanwhile. Beyond it, workloads are scored by their group's or
     * the global model instead of the daemon dying of an OutOfMemoryError: more heap
     * ({@code HEADROOM_JAVA_OPTS=-Xmx...}) gives them their own again.
     */
    public static final double MODEL_MEMORY_SHARE = 0.4;

    /** {@link #MODEL_MEMORY_SHARE} of the JVM's maximum heap, in bytes. */
    public static long modelMemoryBudget() {
        return (long) (Runtime.getRuntime().maxMemory() * MODEL_MEMORY_SHARE);
    }
}
