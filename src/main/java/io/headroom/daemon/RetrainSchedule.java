package io.headroom.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When the next training is due. After a success, {@code retrain_every} later. After a failure, sooner but not at
 * once: {@value #FIRST_RETRY_SECONDS}s after the first failure, doubling with each further one, never more than
 * {@code retrain_every}. Without the backoff a training that fails (Prometheus refusing a week-long query, a full
 * disk) was retried at every 5 s check, each attempt fetching the whole training window again.
 *
 * <p>Pure and not thread-safe: the training verticle calls it from its event loop only.
 */
final class RetrainSchedule {

    static final long FIRST_RETRY_SECONDS = 30;

    private final Duration every;
    private Instant lastSuccess;
    private Instant lastFailure;
    private int consecutiveFailures;

    /** @param lastSuccess when the models loaded at start were trained; empty = train at once */
    RetrainSchedule(Duration every, Optional<Instant> lastSuccess) {
        this.every = Objects.requireNonNull(every, "every");
        this.lastSuccess = lastSuccess.orElse(null);
    }

    /** Whether a training should start at {@code now}. */
    boolean due(Instant now) {
        return next().map(n -> !now.isBefore(n)).orElse(true);
    }

    /** When the next training should start; empty = as soon as possible (nothing trained or tried yet). */
    Optional<Instant> next() {
        if (consecutiveFailures > 0) {
            return Optional.of(lastFailure.plus(backoff(consecutiveFailures)));
        }
        return Optional.ofNullable(lastSuccess).map(s -> s.plus(every));
    }

    void succeeded(Instant at) {
        lastSuccess = at;
        consecutiveFailures = 0;
        lastFailure = null;
    }

    void failed(Instant at) {
        lastFailure = at;
        consecutiveFailures++;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The wait after {@code failures} failures in a row: 30s, 1m, 2m, ... up to {@code retrain_every}. */
    Duration backoff(int failures) {
        Duration first = Duration.ofSeconds(FIRST_RETRY_SECONDS);
        if (first.compareTo(every) >= 0) {
            return every;
        }
        Duration d = first.multipliedBy(1L << Math.min(30, failures - 1));
        return d.compareTo(every) > 0 ? every : d;
    }
}
