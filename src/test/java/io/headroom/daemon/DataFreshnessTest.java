package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.metrics.Metrics;
import io.headroom.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code act.max_data_age}: a change is made from a cycle's data only while the data is young enough, measured on
 * an injected clock at the moment the change would be made.
 */
class DataFreshnessTest {

    static final Instant ASKED = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    final MutableClock clock = new MutableClock(ASKED);
    final Metrics metrics = Metrics.isolated();
    final DataFreshness freshness = new DataFreshness(MAX_AGE, clock, metrics);
    final AtomicInteger changes = new AtomicInteger();

    double skipped() {
        Double v = metrics.registry().getSampleValue("headroom_actuation_skipped_total", new String[] {"reason"},
                new String[] {"stale_data"});
        return v == null ? 0 : v;
    }

    @Test
    void dataOlderThanTheBoundMakesNoChangeAndIsCountedAndNotReady() {
        // Slow queries and retries: the change would come 61s after the data was asked for.
        clock.advance(MAX_AGE.plusSeconds(1));

        assertThat(freshness.ifFresh(ASKED, changes::incrementAndGet)).isEmpty();

        assertThat(changes).hasValue(0);
        assertThat(skipped()).isEqualTo(1);
        assertThat(freshness.notReadyReason()).hasValueSatisfying(why -> assertThat(why)
                .contains("61.0s old").contains("act.max_data_age 60.0s"));
    }

    @Test
    void dataWithinTheBoundActsAndAFreshCycleClearsTheReadinessReason() {
        clock.advance(MAX_AGE.plusSeconds(1));
        freshness.ifFresh(ASKED, changes::incrementAndGet);

        Instant next = clock.instant();
        clock.advance(MAX_AGE);
        assertThat(freshness.ifFresh(next, changes::incrementAndGet)).hasValue(1);

        assertThat(changes).hasValue(1);
        assertThat(skipped()).isEqualTo(1);
        assertThat(freshness.notReadyReason()).isEmpty();
    }
}
