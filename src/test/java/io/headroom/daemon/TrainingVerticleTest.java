package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.detect.ModelRegistry;
import io.headroom.metrics.Metrics;
import io.headroom.testing.MutableClock;
import io.headroom.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training verticle on a real Vert.x with a clock the test sets and a trainer that fails on demand: a failed
 * training is retried after 30s, 1m, ... and not at every check, and the metrics say so.
 */
@ExtendWith(VertxExtension.class)
class TrainingVerticleTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final Metrics metrics = Metrics.isolated();
    final AtomicInteger trainings = new AtomicInteger();
    final AtomicLong checks = new AtomicLong();
    volatile boolean failing = true;
    final java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
    WorkerExecutor pool;

    @BeforeEach
    void deploy(Vertx vertx, @TempDir Path state) throws Exception {
        pool = vertx.createSharedWorkerExecutor("test-train", 1);
        TrainingVerticle.Trainer trainer = (workloads, now) -> {
            trainings.incrementAndGet();
            if (failing) {
                throw new IOException("query_range: 422 exceeded maximum resolution");
            }
        };
        SortedSet<String> workloads = new TreeSet<>(java.util.List.of("web-1"));
        vertx.deployVerticle(new TrainingVerticle(trainer, new ModelRegistry(state), () -> {
            checks.incrementAndGet();
            return Optional.of(workloads);
        }, pool, Duration.ofHours(1), Duration.ofMillis(5), clock, metrics, () -> asked.getAndSet(false))).await();
    }

    @AfterEach
    void close() {
        pool.close();
    }

    double metric(String name) {
        Double v = metrics.registry().getSampleValue(name);
        return v == null ? Double.NaN : v;
    }

    /** The next attempt is the last metric a finished training sets, so waiting for it waits for all. */
    void awaitNextAttempt(long epochSecond) throws InterruptedException {
        Poll.until(WAIT, "next attempt at " + epochSecond, () -> metric("headroom_training_next_attempt_timestamp_seconds"),
                v -> v == epochSecond);
    }

    /** A few checks at the current time, so that "no training" means the schedule said no, not "not looked yet". */
    void awaitChecks() throws InterruptedException {
        long seen = checks.get();
        Poll.until(WAIT, "three more checks", checks::get, c -> c >= seen + 3);
    }

    @Test
    void aFailingTrainingIsRetriedWithBackoffNotAtEveryCheck() throws Exception {
        awaitNextAttempt(T0.getEpochSecond() + 30);
        assertThat(metric("headroom_training_failures_total")).isEqualTo(1);
        assertThat(metric("headroom_training_consecutive_failures")).isEqualTo(1);
        assertThat(metric("headroom_training_last_failure_timestamp_seconds")).isEqualTo(T0.getEpochSecond());

        clock.set(T0.plusSeconds(29));
        awaitChecks();
        assertThat(trainings).as("still backing off").hasValue(1);

        clock.set(T0.plusSeconds(30));
        awaitNextAttempt(T0.getEpochSecond() + 90);
        assertThat(metric("headroom_training_consecutive_failures")).isEqualTo(2);
        clock.set(T0.plusSeconds(89));
        awaitChecks();
        assertThat(trainings).as("the second wait is twice the first").hasValue(2);

        failing = false;
        clock.set(T0.plusSeconds(90));
        awaitNextAttempt(T0.getEpochSecond() + 90 + 3600);
        assertThat(trainings).hasValue(3);
        assertThat(metric("headroom_training_consecutive_failures")).as("reset by the success").isZero();
        assertThat(metric("headroom_training_failures_total")).isEqualTo(2);

        clock.set(T0.plusSeconds(90 + 3599));
        awaitChecks();
        assertThat(trainings).as("back on retrain_every").hasValue(3);
    }

    @Test
    void aMissedFailureTrainsBeforeTheScheduleButNotMoreOftenThanTheGap() throws Exception {
        failing = false;
        // The first attempt may have run before the line above, and failed: then the retry 30 s on succeeds.
        double next = Poll.until(WAIT, "the first attempt's end",
                () -> metric("headroom_training_next_attempt_timestamp_seconds"),
                v -> v == T0.getEpochSecond() + 30 || v == T0.getEpochSecond() + 3600);
        Instant base = T0;
        if (next == T0.getEpochSecond() + 30) {
            base = T0.plusSeconds(30);
            clock.set(base);
            awaitNextAttempt(base.getEpochSecond() + 3600);
        }
        int before = trainings.get();

        // Asked for within the gap after the last training: it waits for the gap, not for the schedule.
        clock.set(base.plusSeconds(60));
        asked.set(true);
        awaitChecks();
        assertThat(trainings).as("not within " + io.headroom.cycle.Cycle.RETRAIN_AFTER_MISS_GAP).hasValue(before);
        Instant early = base.plus(io.headroom.cycle.Cycle.RETRAIN_AFTER_MISS_GAP);
        clock.set(early);
        awaitNextAttempt(early.getEpochSecond() + 3600);
        assertThat(trainings).as("trained at the gap's end, and the schedule starts again from it")
                .hasValue(before + 1);

        clock.set(early.plus(io.headroom.cycle.Cycle.RETRAIN_AFTER_MISS_GAP).plusSeconds(1));
        awaitChecks();
        assertThat(trainings).as("nothing asked: back on the schedule").hasValue(before + 1);
    }

    /** A clock the test sets; read from the event loop, so the instant is volatile. */
}
