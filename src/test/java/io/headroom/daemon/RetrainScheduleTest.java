package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetrainScheduleTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void withoutModelsTheFirstTrainingIsDueAtOnce() {
        RetrainSchedule s = new RetrainSchedule(Duration.ofHours(6), Optional.empty());
        assertThat(s.due(T0)).isTrue();
        assertThat(s.next()).isEmpty();
    }

    @Test
    void modelsLoadedAtStartAreDueRetrainEveryAfterTheirTraining() {
        RetrainSchedule s = new RetrainSchedule(Duration.ofHours(6), Optional.of(T0));
        assertThat(s.due(T0.plus(Duration.ofHours(6)).minusSeconds(1))).isFalse();
        assertThat(s.due(T0.plus(Duration.ofHours(6)))).isTrue();
    }

    @Test
    void failuresBackOffFrom30sDoublingUpToRetrainEvery() {
        RetrainSchedule s = new RetrainSchedule(Duration.ofMinutes(5), Optional.empty());
        Instant t = T0;
        Duration[] waits = {Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
                Duration.ofMinutes(4), Duration.ofMinutes(5), Duration.ofMinutes(5)};
        for (Duration wait : waits) {
            s.failed(t);
            assertThat(s.due(t.plus(wait).minusMillis(1))).as("not due before %s", wait).isFalse();
            assertThat(s.due(t.plus(wait))).as("due after %s", wait).isTrue();
            t = t.plus(wait);
        }
        assertThat(s.consecutiveFailures()).isEqualTo(6);
    }

    @Test
    void aSuccessEndsTheBackoffAndRestoresTheSchedule() {
        RetrainSchedule s = new RetrainSchedule(Duration.ofHours(6), Optional.of(T0));
        s.failed(T0.plus(Duration.ofHours(6)));
        s.failed(T0.plus(Duration.ofHours(7)));
        s.succeeded(T0.plus(Duration.ofHours(8)));
        assertThat(s.consecutiveFailures()).isZero();
        assertThat(s.next()).contains(T0.plus(Duration.ofHours(14)));
    }

    @Test
    void aRetrainEveryShorterThanTheFirstRetryIsTheRetry() {
        RetrainSchedule s = new RetrainSchedule(Duration.ofSeconds(10), Optional.empty());
        s.failed(T0);
        assertThat(s.next()).contains(T0.plusSeconds(10));
    }

    @Test
    void thousandsOfFailuresDoNotOverflow() {
        RetrainSchedule s = new RetrainSchedule(Duration.ofDays(30), Optional.empty());
        assertThat(s.backoff(10_000)).isEqualTo(Duration.ofDays(30));
    }
}
