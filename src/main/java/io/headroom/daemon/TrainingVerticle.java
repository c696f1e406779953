package io.headroom.daemon;

import io.headroom.detect.ModelRegistry;
import io.headroom.detect.WorkloadModel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrains on {@code detection.retrain_every}, in the background on the {@code headroom-train} pool; scoring
 * keeps using the previous models until the new ones are swapped in. At start, models loaded from the state dir
 * count as trained when they were, so a restart neither waits for nor repeats a recent training.
 */
final class TrainingVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingVerticle.class);
    private static final long CHECK_MILLIS = 5_000;

    private final Training training;
    private final ModelRegistry registry;
    private final Supplier<Optional<CollectionVerticle.Snapshot>> latest;
    private final WorkerExecutor pool;
    private final java.time.Duration every;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Instant lastTraining;
    private long timerId = -1;

    TrainingVerticle(Training training, ModelRegistry registry, Supplier<Optional<CollectionVerticle.Snapshot>> latest,
                     WorkerExecutor pool, java.time.Duration every, Clock clock) {
        this.training = training;
        this.registry = registry;
        this.latest = latest;
        this.pool = pool;
        this.every = every;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        lastTraining = registry.all().values().stream().map(WorkloadModel::trainedAt).max(Instant::compareTo).orElse(null);
        timerId = vertx.setPeriodic(0, Math.min(CHECK_MILLIS, every.toMillis()), id -> check());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timerId);
        return Future.succeededFuture();
    }

    private void check() {
        Instant now = clock.instant();
        Optional<CollectionVerticle.Snapshot> snap = latest.get();
        boolean due = lastTraining == null || !now.isBefore(lastTraining.plus(every));
        // Training needs the list of workloads, which the first good cycle provides.
        if (!due || snap.isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        pool.executeBlocking(() -> training.run(snap.get().workloads(), now), false).onComplete(ar -> {
            running.set(false);
            if (ar.succeeded()) {
                lastTraining = now;
            } else {
                // Retried on the next check; the previous models keep scoring meanwhile.
                LOG.warn("training failed, keeping the current models: {}", String.valueOf(ar.cause().getMessage()));
            }
        });
    }
}
