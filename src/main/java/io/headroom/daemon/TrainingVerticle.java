package io.headroom.daemon;

import io.headroom.cycle.Cycle;
import io.headroom.detect.ModelRegistry;
import io.headroom.detect.WorkloadModel;
import io.headroom.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrains on {@code detection.retrain_every}, in the background on the {@code headroom-train} pool; scoring
 * keeps using the previous models until the new ones are swapped in. At start, models loaded from the state dir
 * count as trained when they were, so a restart neither waits for nor repeats a recent training. A failed training
 * is retried after a backoff ({@link RetrainSchedule}), counted and logged; the previous models keep scoring.
 */
final class TrainingVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingVerticle.class);
    static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    /** One training over the given workloads at the given time; blocking. */
    @FunctionalInterface
    interface Trainer {
        void train(SortedSet<String> workloads, Instant now) throws Exception;
    }

    private final Trainer trainer;
    private final ModelRegistry registry;
    private final Supplier<Optional<SortedSet<String>>> workloads;
    private final WorkerExecutor pool;
    private final Duration every;
    private final Duration checkEvery;
    private final Clock clock;
    private final Metrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private RetrainSchedule schedule;
    private final java.util.function.BooleanSupplier asked;
    /** A training asked for out of schedule, waiting for {@link Cycle#RETRAIN_AFTER_MISS_GAP} or a free trainer. */
    private boolean pendingAsk;
    private Instant lastStart;
    private long timerId = -1;

    /**
     * @param workloads  the workloads of the latest good cycle; training waits for the first one
     * @param checkEvery how often the schedule is looked at (tests shorten it; the clock decides what is due)
     */
    TrainingVerticle(Trainer trainer, ModelRegistry registry, Supplier<Optional<SortedSet<String>>> workloads,
                     WorkerExecutor pool, Duration every, Duration checkEvery, Clock clock, Metrics metrics) {
        this(trainer, registry, workloads, pool, every, checkEvery, clock, metrics, () -> false);
    }

    /** @param asked whether a training was asked for out of schedule since the last call (clears it) */
    TrainingVerticle(Trainer trainer, ModelRegistry registry, Supplier<Optional<SortedSet<String>>> workloads,
                     WorkerExecutor pool, Duration every, Duration checkEvery, Clock clock, Metrics metrics,
                     java.util.function.BooleanSupplier asked) {
        this.asked = asked;
        this.trainer = trainer;
        this.registry = registry;
        this.workloads = workloads;
        this.pool = pool;
        this.every = every;
        this.checkEvery = checkEvery;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        Optional<Instant> trained = registry.all().values().stream().map(WorkloadModel::trainedAt).max(Instant::compareTo);
        schedule = new RetrainSchedule(every, trained);
        exportNext();
        long period = Math.max(1, Math.min(checkEvery.toMillis(), every.toMillis()));
        timerId = vertx.setPeriodic(0, period, id -> check());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timerId);
        return Future.succeededFuture();
    }

    private void check() {
        Instant now = clock.instant();
        Optional<SortedSet<String>> names = workloads.get();
        pendingAsk |= asked.getAsBoolean();
        boolean due = schedule.due(now);
        boolean early = !due && pendingAsk
                && (lastStart == null || !now.isBefore(lastStart.plus(Cycle.RETRAIN_AFTER_MISS_GAP)));
        // Training needs the list of workloads, which the first good cycle provides.
        if (!(due || early) || names.isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        pendingAsk = false;
        lastStart = now;
        if (early) {
            LOG.info("training now, before the schedule's {}: a failure was missed", schedule.next().orElse(now));
        }
        pool.executeBlocking(() -> {
            trainer.train(names.get(), now);
            return null;
        }, false).onComplete(ar -> {
            running.set(false);
            if (ar.succeeded()) {
                schedule.succeeded(now);
            } else {
                schedule.failed(now);
                metrics.trainingFailures.inc();
                metrics.trainingLastFailure.set(now.toEpochMilli() / 1000.0);
                LOG.warn("training failed ({} in a row), keeping the current models; next attempt at {}: {}",
                        schedule.consecutiveFailures(), schedule.next().orElse(now),
                        String.valueOf(ar.cause().getMessage()));
            }
            metrics.trainingConsecutiveFailures.set(schedule.consecutiveFailures());
            exportNext();
        });
    }

    private void exportNext() {
        metrics.trainingNextAttempt.set(schedule.next().orElse(clock.instant()).toEpochMilli() / 1000.0);
    }
}
