package io.headroom.daemon;

import io.headroom.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps changes off data that is too old ({@code act.max_data_age}). A cycle's data is as old as the time since it
 * was asked for: features are fetched one after another, each with retries, and the libvirt pool may still be busy
 * with the last cycle, so by the time a change would be made the guest may no longer be what the data showed.
 * Checked right before the change, on the thread that makes it, so every wait counts.
 */
final class DataFreshness {

    static final String STALE_DATA = "stale_data";

    private static final Logger LOG = LoggerFactory.getLogger(DataFreshness.class);

    private final Duration maxAge;
    private final Clock clock;
    private final Metrics metrics;
    /** Why the latest cycle did not act, while it did not; readiness reports it. */
    private final AtomicReference<String> stale = new AtomicReference<>();

    DataFreshness(Duration maxAge, Clock clock, Metrics metrics) {
        this.maxAge = maxAge;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Runs {@code change} if the data asked for at {@code askedAt} is still within the bound; otherwise counts the
     * skip, logs it at WARN and returns empty without running it.
     */
    <T> Optional<T> ifFresh(Instant askedAt, Supplier<T> change) {
        Duration age = Duration.between(askedAt, clock.instant());
        if (age.compareTo(maxAge) > 0) {
            String why = "the last cycle's data was " + age.toMillis() / 1000.0 + "s old when it would have acted "
                    + "(act.max_data_age " + maxAge.toMillis() / 1000.0 + "s): nothing decided or changed";
            stale.set(why);
            metrics.actuationSkipped.labels(STALE_DATA).inc();
            LOG.warn("actuation skipped: {}", why);
            return Optional.empty();
        }
        stale.set(null);
        return Optional.ofNullable(change.get());
    }

    /** Present while the latest cycle's data was too old to act on. */
    Optional<String> notReadyReason() {
        return Optional.ofNullable(stale.get());
    }
}
