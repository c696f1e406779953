package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.metrics.Metrics;
import io.headroom.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Durations on the daemon's clock survive wall-clock steps both ways: the wall clock ({@link MutableClock}) and the
 * monotonic source (an injected nanosecond counter) are moved independently, as NTP or {@code date -s} would.
 */
class MonotonicClockTest {

    static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    final MutableClock wall = new MutableClock(START);
    final AtomicLong nanos = new AtomicLong(7_000_000_000L);
    final MonotonicClock clock = new MonotonicClock(wall, nanos::get);

    void elapse(Duration d) {
        wall.advance(d);
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void startsAtTheWallClockAndAdvancesWithElapsedTime() {
        assertThat(clock.instant()).isEqualTo(START);
        elapse(Duration.ofSeconds(90));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(90));
    }

    @ParameterizedTest(name = "wall clock stepped by {0} h")
    @ValueSource(ints = {-3, -1, 1, 3})
    void aWallClockStepDoesNotMoveIt(int hours) {
        elapse(Duration.ofMinutes(5));
        wall.advance(Duration.ofHours(hours));
        elapse(Duration.ofMinutes(5));

        assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(10)));
    }

    @Test
    void aCounterThatOverflowsStillMeasuresElapsedTime() {
        nanos.set(Long.MAX_VALUE - 1_000_000_000L);
        MonotonicClock c = new MonotonicClock(wall, nanos::get);
        nanos.addAndGet(3_000_000_000L);
        assertThat(c.instant()).isEqualTo(START.plusSeconds(3));
    }

    @ParameterizedTest(name = "wall clock stepped by {0} h")
    @ValueSource(ints = {-1, 1})
    void dataAgeIsMeasuredOnItSoAStepNeitherBlocksNorAllowsAChange(int hours) {
        Metrics metrics = Metrics.isolated();
        DataFreshness freshness = new DataFreshness(Duration.ofSeconds(60), clock, metrics);
        AtomicInteger changes = new AtomicInteger();

        // Data asked for, then the wall clock steps while the cycle runs 10 s: still fresh.
        Instant asked = clock.instant();
        wall.advance(Duration.ofHours(hours));
        elapse(Duration.ofSeconds(10));
        assertThat(freshness.ifFresh(asked, changes::incrementAndGet)).hasValue(1);

        // A cycle that really took 61 s is stale, whatever the wall clock says.
        Instant next = clock.instant();
        wall.advance(Duration.ofHours(-hours));
        elapse(Duration.ofSeconds(61));
        assertThat(freshness.ifFresh(next, changes::incrementAndGet)).isEmpty();
        assertThat(changes).hasValue(1);
    }
}
